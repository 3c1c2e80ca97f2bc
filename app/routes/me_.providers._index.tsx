import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { MEMBER_ROLE_LABELS, ProviderCard, StatusReason } from "~/components/providers";
import { listMyProviders } from "~/domain/providers/providers.server";
import { requirePageActor } from "~/http/auth.server";

// The providers the signed-in person belongs to. Pages under /me/providers/… opt out of /me's
// layout (the `me_` prefix).

export const meta: MetaFunction = () => [{ title: "我的机构 · 三社联动服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePageActor(request);
  return { providers: await listMyProviders(actor) };
}

export default function MyProvidersPage() {
  const { providers } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>我的机构</h1>
      {providers.length === 0 ? (
        <p className="card empty-state">您还没有加入任何社会组织或商家。</p>
      ) : (
        <ul className="provider-list">
          {providers.map((provider) => (
            <ProviderCard
              key={provider.id}
              provider={provider}
              href={`/me/providers/${provider.id}`}
              showStatus
            >
              <p>我的身份：{MEMBER_ROLE_LABELS[provider.myRole]}</p>
              <StatusReason status={provider.status} reason={provider.statusReason} />
              <Link className="button" to={`/me/providers/${provider.id}`}>
                进入机构管理
              </Link>
            </ProviderCard>
          ))}
        </ul>
      )}
      <p>
        <Link className="button button--primary" to="/providers/apply">
          申请入驻新机构
        </Link>
      </p>
    </>
  );
}

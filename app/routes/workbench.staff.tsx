import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormMessage, SelectField } from "~/components/form";
import { createStaffSchema } from "~/domain/accounts/accounts.schema";
import { createStaffAccount, listStaff } from "~/domain/accounts/accounts.server";
import { getManagedTerritory } from "~/domain/territory/territory.server";
import { requirePageActor } from "~/lib/auth.server";
import type { FieldErrors } from "~/lib/errors";
import { pageLoader } from "~/lib/http.server";
import { parseInput, runIntent } from "~/lib/intent.server";

export const meta: MetaFunction = () => [{ title: "工作人员 · 工作台" }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const actor = await requirePageActor(request);
  const [staff, districts] = await Promise.all([listStaff(actor), getManagedTerritory(actor)]);
  const subdistricts = districts.flatMap((d) => d.subdistricts);
  return {
    staff,
    adminScopes: subdistricts.filter((s) => s.canAddAdmin).map((s) => ({ id: s.id, name: s.name })),
    workerScopes: subdistricts
      .map((s) => ({ id: s.id, name: s.name, communities: s.communities.filter((c) => c.canAddWorker) }))
      .filter((s) => s.communities.length > 0),
  };
});

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const create = async (form: Record<string, string>) => {
    const user = await createStaffAccount(actor, parseInput(createStaffSchema, form));
    return `已为 ${user.name}（${user.phoneMasked}）开设账号`;
  };
  return runIntent(request, { COMMUNITY_WORKER: create, SUBDISTRICT_ADMIN: create });
}

function PersonFields({
  prefix,
  errors,
  values,
}: {
  prefix: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  return (
    <>
      <Field
        name="name"
        idPrefix={prefix}
        label="姓名"
        maxLength={30}
        defaultValue={values?.name}
        errors={errors}
      />
      <Field
        name="phone"
        idPrefix={prefix}
        label="手机号"
        type="tel"
        inputMode="tel"
        maxLength={20}
        defaultValue={values?.phone}
        errors={errors}
      />
      <Field
        name="password"
        idPrefix={prefix}
        label="初始密码"
        type="password"
        autoComplete="new-password"
        hint="至少8位，请当面告知本人"
        errors={errors}
      />
    </>
  );
}

export default function StaffPage() {
  const { staff, adminScopes, workerScopes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && !result.ok ? result : undefined;
  const sent = (role: string) => (failed?.values.intent === role ? failed : undefined);

  return (
    <>
      <h1>工作人员</h1>
      <FormMessage message={failed?.formError} />
      <FormMessage tone="success" message={result?.ok ? result.message : null} />
      <div className="columns">
        {workerScopes.length > 0 ? (
          <Form method="post" className="card" aria-labelledby="new-worker">
            <h2 id="new-worker">新增社区工作者</h2>
            <input type="hidden" name="intent" value="COMMUNITY_WORKER" />
            <input type="hidden" name="role" value="COMMUNITY_WORKER" />
            <PersonFields
              prefix="w-"
              errors={sent("COMMUNITY_WORKER")?.fieldErrors}
              values={sent("COMMUNITY_WORKER")?.values}
            />
            <SelectField
              name="scopeId"
              idPrefix="w-"
              label="所在社区"
              defaultValue=""
              errors={sent("COMMUNITY_WORKER")?.fieldErrors}
            >
              <option value="">请选择社区</option>
              {workerScopes.map((s) => (
                <optgroup key={s.id} label={s.name}>
                  {s.communities.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </SelectField>
            <button type="submit" className="button button--primary">
              开设账号
            </button>
          </Form>
        ) : null}
        {adminScopes.length > 0 ? (
          <Form method="post" className="card" aria-labelledby="new-admin">
            <h2 id="new-admin">新增街道管理员</h2>
            <input type="hidden" name="intent" value="SUBDISTRICT_ADMIN" />
            <input type="hidden" name="role" value="SUBDISTRICT_ADMIN" />
            <PersonFields
              prefix="a-"
              errors={sent("SUBDISTRICT_ADMIN")?.fieldErrors}
              values={sent("SUBDISTRICT_ADMIN")?.values}
            />
            <SelectField
              name="scopeId"
              idPrefix="a-"
              label="所在街道"
              defaultValue=""
              errors={sent("SUBDISTRICT_ADMIN")?.fieldErrors}
            >
              <option value="">请选择街道</option>
              {adminScopes.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </SelectField>
            <button type="submit" className="button button--primary">
              开设账号
            </button>
          </Form>
        ) : null}
      </div>
      <section aria-labelledby="staff-list">
        <h2 id="staff-list">辖区工作人员（{staff.length}）</h2>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">姓名</th>
              <th scope="col">手机号</th>
              <th scope="col">角色</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((member) => (
              <tr key={member.id}>
                <td>{member.name}</td>
                <td>{member.phoneMasked}</td>
                <td>{member.roleLabels.join("、")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

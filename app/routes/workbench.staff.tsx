import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { BackLink } from "~/components/back-link";
import { Field, FormMessage, SelectField } from "~/components/form";
import { GroupedCommunityOptions } from "~/components/options";
import { createStaffSchema, removeStaffFormSchema } from "~/domain/accounts/accounts.schema";
import {
  createStaffAccount,
  listStaff,
  removeStaffMember,
  type StaffMember,
} from "~/domain/accounts/accounts.server";
import { getManagedTerritory } from "~/domain/territory/territory.server";
import { placesOf } from "~/domain/territory/tree";
import { requirePageActor } from "~/http/auth.server";
import { type FormFailure, pageData, parseInput, runIntent } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "工作人员 · 工作台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const [staff, districts] = await Promise.all([listStaff(actor), getManagedTerritory(actor)]);
    const { subdistricts } = placesOf(districts);
    // ?remove=<id> asks to confirm a removal first: taking roles away cannot be undone from here.
    const removeId = new URL(request.url).searchParams.get("remove");
    return {
      staff,
      confirmRemoval: staff.find((member) => member.id === removeId && member.canRemove) ?? null,
      adminScopes: subdistricts.filter((s) => s.canAddAdmin).map((s) => ({ id: s.id, name: s.name })),
      workerScopes: subdistricts
        .map((s) => ({ id: s.id, name: s.name, communities: s.communities.filter((c) => c.canAddWorker) }))
        .filter((s) => s.communities.length > 0),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const create = async (form: Record<string, string>) => {
    const user = await createStaffAccount(actor, parseInput(createStaffSchema, form));
    return `已为 ${user.name}（${user.phoneMasked}）开设账号`;
  };
  const remove = async (form: Record<string, string>) => {
    const { userId } = parseInput(removeStaffFormSchema, form);
    const member = await removeStaffMember(actor, userId);
    return `已撤销 ${member.name}（${member.phoneMasked}）的工作人员身份`;
  };
  return runIntent(request, { COMMUNITY_WORKER: create, SUBDISTRICT_ADMIN: create, REMOVE: remove });
}

/** The second step of a removal, so that one slip of the finger takes nobody's job away. */
function ConfirmRemoval({
  member,
}: {
  member: Pick<StaffMember, "id" | "name" | "phoneMasked" | "roleLabels">;
}) {
  return (
    <Form method="post" action="/workbench/staff" className="card" aria-labelledby="remove-title">
      <h2 id="remove-title">撤销工作人员身份</h2>
      <p>
        确定撤销 {member.name}（{member.phoneMasked}）的{member.roleLabels.join("、")}
        身份吗？撤销后，对方不能再使用工作台，也看不到居民的联系方式；账号保留，对方可以自行注销。
      </p>
      <input type="hidden" name="intent" value="REMOVE" />
      <input type="hidden" name="userId" value={member.id} />
      <div className="actions">
        <button type="submit" className="button button--danger">
          确认撤销
        </button>
        <Link className="button" to="/workbench/staff">
          取消
        </Link>
      </div>
    </Form>
  );
}

/** One "open an account" form; the role decides the heading and which territory the select offers. */
function NewStaffForm({
  staffRole: role,
  title,
  scopeLabel,
  failure,
  children,
}: {
  staffRole: "COMMUNITY_WORKER" | "SUBDISTRICT_ADMIN";
  title: string;
  scopeLabel: string;
  failure?: FormFailure;
  children: ReactNode;
}) {
  const sent = failure?.values.intent === role ? failure : undefined;
  const errors = sent?.fieldErrors;
  const prefix = `${role}-`;
  return (
    <Form method="post" className="card" aria-labelledby={`${prefix}title`}>
      <h2 id={`${prefix}title`}>{title}</h2>
      <input type="hidden" name="intent" value={role} />
      <input type="hidden" name="role" value={role} />
      <Field
        name="name"
        idPrefix={prefix}
        label="姓名"
        maxLength={30}
        defaultValue={sent?.values.name}
        errors={errors}
      />
      <Field
        name="phone"
        idPrefix={prefix}
        label="手机号"
        type="tel"
        inputMode="tel"
        maxLength={20}
        defaultValue={sent?.values.phone}
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
      <SelectField name="scopeId" idPrefix={prefix} label={scopeLabel} defaultValue="" errors={errors}>
        {children}
      </SelectField>
      <button type="submit" className="button button--primary">
        开设账号
      </button>
    </Form>
  );
}

export default function StaffPage() {
  const { staff, confirmRemoval, adminScopes, workerScopes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && !result.ok ? result : undefined;

  return (
    <>
      <BackLink to="/workbench" label="返回工作台" />
      <h1>工作人员</h1>
      <FormMessage message={failed?.formError} />
      <FormMessage tone="success" message={result?.ok ? result.message : null} />
      {confirmRemoval && !result ? <ConfirmRemoval member={confirmRemoval} /> : null}
      <div className="columns">
        {workerScopes.length > 0 ? (
          <NewStaffForm
            staffRole="COMMUNITY_WORKER"
            title="新增社区工作者"
            scopeLabel="所在社区"
            failure={failed}
          >
            <option value="">请选择社区</option>
            <GroupedCommunityOptions groups={workerScopes} />
          </NewStaffForm>
        ) : null}
        {adminScopes.length > 0 ? (
          <NewStaffForm
            staffRole="SUBDISTRICT_ADMIN"
            title="新增街道管理员"
            scopeLabel="所在街道"
            failure={failed}
          >
            <option value="">请选择街道</option>
            {adminScopes.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </NewStaffForm>
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
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((member) => (
              <tr key={member.id}>
                <td>{member.name}</td>
                <td>{member.phoneMasked}</td>
                <td>{member.roleLabels.join("、")}</td>
                <td>
                  {member.canRemove ? (
                    <Link to={`?remove=${member.id}`}>
                      撤销身份<span className="visually-hidden">：{member.name}</span>
                    </Link>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { BackLink } from "~/components/back-link";
import { Field, FormMessage, SelectField } from "~/components/form";
import {
  COMMUNITY_KIND_LABELS,
  COMMUNITY_KINDS,
  createCommunitySchema,
  createSubdistrictSchema,
  renameSubdistrictSchema,
  updateCommunitySchema,
} from "~/domain/territory/territory.schema";
import {
  createCommunity,
  createSubdistrict,
  getManagedTerritory,
  renameSubdistrict,
  updateCommunity,
} from "~/domain/territory/territory.server";
import { requirePageActor } from "~/http/auth.server";
import { pageData, parseInput, runIntent } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "辖区管理 · 工作台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    return { districts: await getManagedTerritory(actor) };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  return runIntent(request, {
    createSubdistrict: async (form) => {
      const subdistrict = await createSubdistrict(actor, parseInput(createSubdistrictSchema, form));
      return `已新增街道“${subdistrict.name}”`;
    },
    renameSubdistrict: async (form) => {
      const subdistrict = await renameSubdistrict(actor, parseInput(renameSubdistrictSchema, form));
      return `街道已更名为“${subdistrict.name}”`;
    },
    createCommunity: async (form) => {
      const community = await createCommunity(actor, parseInput(createCommunitySchema, form));
      return `已新增社区“${community.name}”`;
    },
    updateCommunity: async (form) => {
      const community = await updateCommunity(actor, parseInput(updateCommunitySchema, form));
      return `已保存社区“${community.name}”`;
    },
  });
}

function KindOptions() {
  return (
    <>
      {COMMUNITY_KINDS.map((kind) => (
        <option key={kind} value={kind}>
          {COMMUNITY_KIND_LABELS[kind]}
        </option>
      ))}
    </>
  );
}

export default function TerritoryPage() {
  const { districts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && !result.ok ? result : undefined;
  /** Field errors belong to the form that was sent (same intent and same target). */
  const errorsFor = (intent: string, targetId?: string) =>
    failed &&
    failed.values.intent === intent &&
    (targetId === undefined || [failed.values.subdistrictId, failed.values.communityId].includes(targetId))
      ? failed.fieldErrors
      : undefined;

  return (
    <>
      <BackLink to="/workbench" label="返回工作台" />
      <h1>辖区管理</h1>
      <FormMessage message={failed?.formError} />
      <FormMessage tone="success" message={result?.ok ? result.message : null} />
      {districts.map((district) => (
        <section key={district.id} aria-labelledby={`d-${district.id}`} className="stack">
          <h2 id={`d-${district.id}`}>{district.name}</h2>
          {district.canManage ? (
            <Form method="post" className="card inline-fields">
              <input type="hidden" name="intent" value="createSubdistrict" />
              <input type="hidden" name="districtId" value={district.id} />
              <Field
                name="name"
                idPrefix={`new-sd-${district.id}-`}
                label="新增街道"
                maxLength={30}
                errors={errorsFor("createSubdistrict")}
              />
              <button type="submit" className="button button--primary">
                新增街道
              </button>
            </Form>
          ) : null}
          {district.subdistricts.map((subdistrict) => (
            <article key={subdistrict.id} className="card" aria-labelledby={`sd-${subdistrict.id}`}>
              <h3 id={`sd-${subdistrict.id}`}>
                {subdistrict.name} <small>（{subdistrict.communities.length} 个社区）</small>
              </h3>
              {subdistrict.canRename ? (
                <details>
                  <summary>修改街道名称</summary>
                  <Form method="post" className="inline-fields">
                    <input type="hidden" name="intent" value="renameSubdistrict" />
                    <input type="hidden" name="subdistrictId" value={subdistrict.id} />
                    <Field
                      name="name"
                      idPrefix={`sd-${subdistrict.id}-`}
                      label="街道名称"
                      defaultValue={subdistrict.name}
                      maxLength={30}
                      errors={errorsFor("renameSubdistrict", subdistrict.id)}
                    />
                    <button type="submit" className="button">
                      保存
                    </button>
                  </Form>
                </details>
              ) : null}
              <ul className="community-list">
                {subdistrict.communities.map((community) => (
                  <li key={community.id}>
                    <span>{community.name}</span>{" "}
                    <span className="badge">{COMMUNITY_KIND_LABELS[community.kind]}</span>
                    {subdistrict.canManage ? (
                      <details>
                        <summary>修改</summary>
                        <Form method="post" className="inline-fields">
                          <input type="hidden" name="intent" value="updateCommunity" />
                          <input type="hidden" name="communityId" value={community.id} />
                          <Field
                            name="name"
                            idPrefix={`c-${community.id}-`}
                            label="社区名称"
                            defaultValue={community.name}
                            maxLength={30}
                            errors={errorsFor("updateCommunity", community.id)}
                          />
                          <SelectField
                            name="kind"
                            idPrefix={`c-${community.id}-`}
                            label="类型"
                            defaultValue={community.kind}
                          >
                            <KindOptions />
                          </SelectField>
                          <button type="submit" className="button">
                            保存
                          </button>
                        </Form>
                      </details>
                    ) : null}
                  </li>
                ))}
              </ul>
              {subdistrict.canManage ? (
                <Form method="post" className="inline-fields">
                  <input type="hidden" name="intent" value="createCommunity" />
                  <input type="hidden" name="subdistrictId" value={subdistrict.id} />
                  <Field
                    name="name"
                    idPrefix={`new-c-${subdistrict.id}-`}
                    label="新增社区"
                    maxLength={30}
                    errors={errorsFor("createCommunity", subdistrict.id)}
                  />
                  <SelectField
                    name="kind"
                    idPrefix={`new-c-${subdistrict.id}-`}
                    label="类型"
                    defaultValue="URBAN"
                    errors={errorsFor("createCommunity", subdistrict.id)}
                  >
                    <KindOptions />
                  </SelectField>
                  <button type="submit" className="button button--primary">
                    新增社区
                  </button>
                </Form>
              ) : null}
            </article>
          ))}
        </section>
      ))}
    </>
  );
}

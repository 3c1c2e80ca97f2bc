import { Form } from "@remix-run/react";
import { ChoiceGroup, Field, FormMessage, SelectField, TextAreaField } from "~/components/form";
import { CategoryOptions } from "~/components/options";
import { FUNDING_LABELS } from "~/domain/catalog/categories";
import { communityCheckboxName, FUNDINGS, type ServiceView } from "~/domain/services/services.schema";
import type { FieldErrors } from "~/lib/errors";
import { fenToYuan } from "~/lib/money";

// Service (服务项目) UI shared by the catalog pages: the one form for creating and editing (plain
// fields; the server turns the yuan price into fen and checks the communities against the
// provider's own), the publish and archive buttons, and the notice for providers not yet approved.

export type ServiceFormDefaults = {
  title: string;
  description: string;
  category: string;
  funding: string;
  priceYuan: string;
  capacityPerWeek: string;
  communityIds: string[];
};

export const EMPTY_SERVICE_FORM: ServiceFormDefaults = {
  title: "",
  description: "",
  category: "",
  funding: "FREE",
  priceYuan: "",
  capacityPerWeek: "",
  communityIds: [],
};

/** The form filled in with a stored service, for editing. */
export const serviceFormDefaults = (service: ServiceView): ServiceFormDefaults => ({
  title: service.title,
  description: service.description,
  category: service.category,
  funding: service.funding,
  priceYuan: service.priceFen == null ? "" : fenToYuan(service.priceFen),
  capacityPerWeek: service.capacityPerWeek == null ? "" : String(service.capacityPerWeek),
  communityIds: service.communityIds,
});

const PROVIDER_NOTICES: Record<string, string> = {
  PENDING: "本机构的入驻申请正在审核中。现在就可以发布服务，审核通过后居民才能看到。",
  REJECTED: "本机构的入驻申请未通过审核，服务暂不对居民公开。请按审核意见修改机构资料后重新申请。",
  SUSPENDED: "本机构已被暂停服务，已发布的服务暂不对居民公开。如有疑问请联系街道或社区工作人员。",
};

/** Tells a provider's people why their published services are not public yet (nothing when approved). */
export function ProviderStatusNotice({ status }: { status: string }) {
  const notice = PROVIDER_NOTICES[status];
  return notice ? (
    <p className="service-notice" role="note">
      {notice}
    </p>
  ) : null;
}

type Community = { id: string; name: string; subdistrictId: string; subdistrictName: string };

/** Which buttons the form offers: a new service or a draft may be published or kept as a draft;
 * a published service is simply saved. */
export type ServiceFormMode = "create" | "editDraft" | "editPublished";

const BUTTONS: Record<ServiceFormMode, { intent: string; label: string; primary: boolean }[]> = {
  create: [
    { intent: "publish", label: "发布服务", primary: true },
    { intent: "draft", label: "保存为草稿", primary: false },
  ],
  editDraft: [
    { intent: "publish", label: "保存并发布", primary: true },
    { intent: "draft", label: "保存草稿", primary: false },
  ],
  editPublished: [{ intent: "save", label: "保存修改", primary: true }],
};

export function ServiceForm({
  mode,
  communities,
  defaults,
  failure,
}: {
  mode: ServiceFormMode;
  communities: Community[];
  defaults: ServiceFormDefaults;
  /** The rejected submission: its typed values win over the defaults. */
  failure?: { formError: string; fieldErrors: FieldErrors; values: Record<string, string> };
}) {
  const errors = failure?.fieldErrors;
  const typed = failure?.values;
  const value = (name: Exclude<keyof ServiceFormDefaults, "communityIds">) => typed?.[name] ?? defaults[name];
  const checked = (id: string) =>
    typed ? typed[communityCheckboxName(id)] !== undefined : defaults.communityIds.includes(id);
  const subdistricts = [...new Set(communities.map((c) => c.subdistrictId))].map((id) => ({
    id,
    name: communities.find((c) => c.subdistrictId === id)?.subdistrictName ?? "",
    communities: communities.filter((c) => c.subdistrictId === id),
  }));

  return (
    <Form method="post" noValidate className="service-form">
      <FormMessage message={failure?.formError} />
      <Field
        name="title"
        label="服务名称"
        maxLength={50}
        hint="如：老年人助浴上门服务"
        defaultValue={value("title")}
        errors={errors}
        required
      />
      <TextAreaField
        name="description"
        label="服务介绍"
        hint="写清服务内容、时间、地点和预约方式，至少10个字"
        maxLength={2000}
        defaultValue={value("description")}
        errors={errors}
      />
      <SelectField name="category" label="服务类别" defaultValue={value("category")} errors={errors} required>
        <option value="">请选择类别</option>
        <CategoryOptions />
      </SelectField>
      <ChoiceGroup
        name="communityIds"
        legend="服务社区"
        hint="只能选择本机构服务的社区，可多选"
        errors={errors}
      >
        {subdistricts.map((subdistrict) => (
          <div key={subdistrict.id} className="choice-group__section">
            <p className="choice-group__heading">{subdistrict.name}</p>
            {subdistrict.communities.map((community) => (
              <label key={community.id} className="choice">
                <input
                  type="checkbox"
                  name={communityCheckboxName(community.id)}
                  value="on"
                  defaultChecked={checked(community.id)}
                />
                {community.name}
              </label>
            ))}
          </div>
        ))}
      </ChoiceGroup>
      <ChoiceGroup name="funding" legend="收费方式" errors={errors}>
        {FUNDINGS.map((funding) => (
          <label key={funding} className="choice">
            <input
              type="radio"
              name="funding"
              value={funding}
              defaultChecked={value("funding") === funding}
            />
            {FUNDING_LABELS[funding]}
          </label>
        ))}
      </ChoiceGroup>
      <Field
        name="priceYuan"
        label="价格（元/次）"
        hint="仅“收费”服务填写，如 50 或 12.50；免费和政府购买的服务请留空"
        maxLength={20}
        defaultValue={value("priceYuan")}
        errors={errors}
      />
      <Field
        name="capacityPerWeek"
        label="每周可服务人次（选填）"
        inputMode="numeric"
        maxLength={6}
        hint="如 20；不限可留空"
        defaultValue={value("capacityPerWeek")}
        errors={errors}
      />
      <div className="actions">
        {BUTTONS[mode].map((button) => (
          <button
            key={button.intent}
            type="submit"
            name="intent"
            value={button.intent}
            className={button.primary ? "button button--primary" : "button"}
          >
            {button.label}
          </button>
        ))}
      </div>
    </Form>
  );
}

/** For the list page the service is named by a hidden field; on its own page the URL names it. */
const ServiceIdField = ({ serviceId }: { serviceId?: string }) =>
  serviceId ? <input type="hidden" name="serviceId" value={serviceId} /> : null;

export function PublishButton({ serviceId }: { serviceId?: string }) {
  return (
    <Form method="post" className="inline-form">
      <ServiceIdField serviceId={serviceId} />
      <button type="submit" name="intent" value="publish" className="button button--primary">
        发布
      </button>
    </Form>
  );
}

/** Archiving is final, so it takes a second, deliberate press; the confirmation unfolds in place
 * (no pop-ups, works without JavaScript). */
export function ArchiveButton({ serviceId }: { serviceId?: string }) {
  return (
    <details className="confirm">
      <summary>下架此服务</summary>
      <Form method="post">
        <ServiceIdField serviceId={serviceId} />
        <p>下架后居民将看不到此服务，也不能再发布。</p>
        <button type="submit" name="intent" value="archive" className="button button--danger">
          确认下架
        </button>
      </Form>
    </details>
  );
}

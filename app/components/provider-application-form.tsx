import { Form } from "@remix-run/react";
import { Field, FormMessage, RadioGroup, TextAreaField } from "~/components/form";
import { PROVIDER_KIND_LABELS } from "~/domain/catalog/categories";
import { PLACE_FIELD_PREFIX, PROVIDER_KINDS, type ProviderDetail } from "~/domain/providers/providers.schema";
import type { TerritoryTree } from "~/domain/territory/territory.schema";
import type { FieldErrors } from "~/lib/errors";

// The guided provider application (入驻): its four steps with the service-area picker, used to apply
// and, on the provider's dashboard, to correct and re-apply or edit.

/** The application's fields as the form sends them, for pre-filling it with a stored provider. */
export function providerFormValues(provider: ProviderDetail): Record<string, string> {
  const values: Record<string, string> = {
    kind: provider.kind,
    name: provider.name,
    uscc: provider.uscc,
    contactName: provider.contactName,
    contactPhone: provider.contactPhone ?? "",
    businessPhone: provider.businessPhone ?? "",
    address: provider.address,
    description: provider.description,
  };
  for (const community of provider.communities)
    values[`${PLACE_FIELD_PREFIX.community}${community.id}`] = "on";
  return values;
}

const KIND_HINTS = {
  SOCIAL_ORG: "社会团体、民办非企业单位、基金会等，信用代码一般以 5 开头",
  MERCHANT: "为居民提供服务的企业、个体工商户，信用代码一般以 9 开头",
} as const;

/** The guided application (4 steps on one page, works without JavaScript). Used to apply and, on the
 * dashboard, to correct and re-apply. */
export function ProviderApplicationForm({
  tree,
  values,
  errors,
  formError,
  intent,
  submitLabel,
}: {
  tree: TerritoryTree;
  /** What to show: the typed values of a rejected submission, or the stored application. */
  values: Record<string, string>;
  errors?: FieldErrors;
  formError?: string;
  /** Names the form on pages with several forms. */
  intent?: string;
  submitLabel: string;
}) {
  const placeError = errors?.communityIds ?? errors?.subdistrictIds;
  return (
    <Form method="post" noValidate className="application-form">
      <FormMessage message={formError} />
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}

      <fieldset className="card step">
        <legend>
          <span className="step__number">1</span>机构信息
        </legend>
        <RadioGroup
          name="kind"
          legend="机构类型"
          options={PROVIDER_KINDS.map((kind) => ({
            value: kind,
            label: `${PROVIDER_KIND_LABELS[kind]}（${KIND_HINTS[kind]}）`,
          }))}
          defaultValue={values.kind}
          errors={errors}
        />
        <Field
          name="name"
          label="机构名称"
          hint="与营业执照或登记证书上的名称一致"
          maxLength={50}
          defaultValue={values.name}
          errors={errors}
          required
        />
        <Field
          name="uscc"
          label="统一社会信用代码"
          hint="18位，印在营业执照或登记证书上（一般在左上角或二维码旁）。小写字母、全角字符和空格会自动转换"
          maxLength={40}
          autoComplete="off"
          defaultValue={values.uscc}
          errors={errors}
          required
        />
      </fieldset>

      <fieldset className="card step">
        <legend>
          <span className="step__number">2</span>联系人
        </legend>
        <Field
          name="contactName"
          label="联系人姓名"
          maxLength={30}
          autoComplete="name"
          defaultValue={values.contactName}
          errors={errors}
          required
        />
        <Field
          name="contactPhone"
          label="联系电话"
          type="tel"
          inputMode="tel"
          maxLength={20}
          autoComplete="tel"
          hint="审核人员和本机构成员能看到完整号码，其他人只看到 138****1234"
          defaultValue={values.contactPhone}
          errors={errors}
          required
        />
        <Field
          name="businessPhone"
          label="对外服务电话（选填）"
          type="tel"
          inputMode="tel"
          maxLength={20}
          hint="此电话将公开显示，供居民联系：完整号码会出现在机构和服务页面上，居民可一键拨打。请填写店面或办公电话（手机或带区号的固定电话），不要填写个人私人号码"
          defaultValue={values.businessPhone}
          errors={errors}
        />
        <Field
          name="address"
          label="机构地址"
          hint="写到门牌号，如：幸福路12号3楼"
          maxLength={100}
          defaultValue={values.address}
          errors={errors}
          required
        />
      </fieldset>

      <fieldset
        className={placeError ? "card step field--invalid" : "card step"}
        aria-describedby={placeError ? "places-error" : "places-hint"}
      >
        <legend>
          <span className="step__number">3</span>服务范围
        </legend>
        <p className="field__hint" id="places-hint">
          选择机构服务的社区。服务整个街道的，勾选“整个街道”即可，以后新增的社区不会自动加入。
        </p>
        {placeError ? (
          <p className="field__error" id="places-error">
            {placeError}
          </p>
        ) : null}
        {tree.districts.flatMap((district) =>
          district.subdistricts.map((subdistrict) => (
            <fieldset key={subdistrict.id} className="choice-group place-group">
              <legend>
                {district.name} · {subdistrict.name}
              </legend>
              <label className="choice choice--whole">
                <input
                  type="checkbox"
                  name={`${PLACE_FIELD_PREFIX.subdistrict}${subdistrict.id}`}
                  defaultChecked={values[`${PLACE_FIELD_PREFIX.subdistrict}${subdistrict.id}`] !== undefined}
                />
                整个{subdistrict.name}（全部 {subdistrict.communities.length} 个社区）
              </label>
              <div className="place-group__communities">
                {subdistrict.communities.map((community) => (
                  <label key={community.id} className="choice">
                    <input
                      type="checkbox"
                      name={`${PLACE_FIELD_PREFIX.community}${community.id}`}
                      defaultChecked={values[`${PLACE_FIELD_PREFIX.community}${community.id}`] !== undefined}
                    />
                    {community.name}
                  </label>
                ))}
              </div>
            </fieldset>
          )),
        )}
      </fieldset>

      <fieldset className="card step">
        <legend>
          <span className="step__number">4</span>机构简介
        </legend>
        <TextAreaField
          name="description"
          label="机构简介"
          hint="介绍机构做什么、服务过哪些居民、有哪些专业人员，至少10个字"
          maxLength={1000}
          rows={6}
          defaultValue={values.description}
          errors={errors}
        />
      </fieldset>

      <button type="submit" className="button button--primary button--block">
        {submitLabel}
      </button>
    </Form>
  );
}

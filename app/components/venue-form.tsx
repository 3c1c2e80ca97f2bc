import { Form } from "@remix-run/react";
import { Field, FormMessage, RadioGroup, SelectField, TextAreaField } from "~/components/form";
import { hoursField, menuField, menuRowCount, rangeRows, WEEKDAYS } from "~/domain/venues/venue-form";
import { VENUE_APPROVALS, WEEKDAY_LABELS } from "~/domain/venues/venues.schema";
import type { FieldErrors } from "~/lib/errors";

// The staff's venue form (新建阵地 / 修改阵地), working without JavaScript: opening hours as three
// rows a weekday, the menu as numbered rows with 删除 boxes and a 再加一行 button that posts the form
// back with one more row (see domain/venues/venue-form.ts for how the rows become the API's body).

const APPROVAL_CHOICES: Record<(typeof VENUE_APPROVALS)[number], string> = {
  STAFF: "需审核：工作人员确认后预约才生效",
  AUTO: "自动确认：提交即生效",
};

type PlaceGroup = { id: string; name: string; places: { id: string; name: string }[] };
type VenueFormFailure = {
  formError: string;
  fieldErrors: FieldErrors;
  values: Record<string, string>;
};

function OpeningHoursFields({ value, errors }: { value: (name: string) => string; errors?: FieldErrors }) {
  return (
    <fieldset className="field choice-group">
      <legend>开放时间</legend>
      <p className="field__hint">每天最多三段（如上午、下午、晚上），不开放的时段留空。时间为北京时间。</p>
      {WEEKDAYS.map((weekday) => (
        <fieldset key={weekday} className="opening-day">
          <legend>{WEEKDAY_LABELS[weekday]}</legend>
          {Array.from({ length: rangeRows(value, weekday) }, (_, slot) => {
            const row = `${WEEKDAY_LABELS[weekday]}第${slot + 1}段`;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: the rows are fixed slots, not a list
              <div key={slot} className="opening-range">
                <Field
                  type="time"
                  name={hoursField(weekday, slot, "opens")}
                  label={
                    <>
                      <span className="visually-hidden">{WEEKDAY_LABELS[weekday]}</span>第{slot + 1}段 开始
                    </>
                  }
                  defaultValue={value(hoursField(weekday, slot, "opens"))}
                  errors={errors}
                />
                <Field
                  type="time"
                  name={hoursField(weekday, slot, "closes")}
                  label={
                    <>
                      <span className="visually-hidden">{row}</span>结束
                    </>
                  }
                  defaultValue={value(hoursField(weekday, slot, "closes"))}
                  errors={errors}
                />
              </div>
            );
          })}
        </fieldset>
      ))}
    </fieldset>
  );
}

function MenuFields({
  rows,
  value,
  errors,
}: {
  rows: number;
  value: (name: string) => string;
  errors?: FieldErrors;
}) {
  return (
    <fieldset className="field choice-group">
      <legend>可预约项目</legend>
      <p className="field__hint">
        如“重温入党誓词”。空着的行不会保存；要去掉一个项目，勾选“删除此项”后保存。
      </p>
      <input type="hidden" name="menuRows" value={rows} />
      {Array.from({ length: rows }, (_, row) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a row is its number in the posted form
        <fieldset key={row} className="menu-row">
          <legend>项目 {row + 1}</legend>
          <Field
            name={menuField(row, "title")}
            label="项目名称"
            maxLength={40}
            defaultValue={value(menuField(row, "title"))}
            errors={errors}
          />
          <Field
            name={menuField(row, "minutes")}
            label="时长（分钟）"
            inputMode="numeric"
            maxLength={4}
            defaultValue={value(menuField(row, "minutes"))}
            errors={errors}
          />
          <Field
            name={menuField(row, "maxGroupSize")}
            label="每批最多人数（可不填）"
            inputMode="numeric"
            maxLength={5}
            defaultValue={value(menuField(row, "maxGroupSize"))}
            errors={errors}
          />
          {value(menuField(row, "title")) ? (
            <label className="choice">
              <input
                type="checkbox"
                name={menuField(row, "remove")}
                value="on"
                defaultChecked={value(menuField(row, "remove")) === "on"}
              />
              <span>删除此项</span>
            </label>
          ) : null}
        </fieldset>
      ))}
    </fieldset>
  );
}

/** 新建阵地 (with the place picker) and 修改阵地. `defaults` are the venue's values as form fields;
 * after a failed post (or 再加一行) the typed values come back in `failure` and win. */
export function VenueForm({
  mode,
  defaults,
  failure,
  places,
}: {
  mode: "create" | "edit";
  defaults: Record<string, string>;
  failure?: VenueFormFailure;
  places?: PlaceGroup[];
}) {
  const errors = failure?.fieldErrors;
  const typed = failure?.values;
  const value = (name: string) => (typed ? (typed[name] ?? "") : (defaults[name] ?? ""));
  const rows = menuRowCount(typed ?? defaults);
  return (
    <Form method="post" noValidate className="venue-form">
      <FormMessage message={failure?.formError} errors={errors} />
      <Field
        name="name"
        label="阵地名称"
        hint="如：东湖街道党群服务中心多功能厅"
        maxLength={60}
        defaultValue={value("name")}
        errors={errors}
        required
      />
      {mode === "create" && places ? (
        <SelectField
          name="territoryId"
          label="所属街道或社区"
          defaultValue={value("territoryId")}
          errors={errors}
          required
        >
          <option value="">请选择</option>
          {places.map((group) => (
            <optgroup key={group.id} label={group.name}>
              {group.places.map((place) => (
                <option key={place.id} value={place.id}>
                  {place.name}
                </option>
              ))}
            </optgroup>
          ))}
        </SelectField>
      ) : null}
      <Field
        name="address"
        label="地址"
        maxLength={120}
        defaultValue={value("address")}
        errors={errors}
        required
      />
      <Field
        name="capacity"
        label="容纳人数"
        inputMode="numeric"
        maxLength={5}
        defaultValue={value("capacity")}
        errors={errors}
        required
      />
      <TextAreaField
        name="description"
        label="阵地介绍"
        hint="设施、适合开展的活动、交通等"
        maxLength={2000}
        defaultValue={value("description")}
        errors={errors}
        required
      />
      <OpeningHoursFields value={value} errors={errors} />
      <Field
        name="maxLeadDays"
        label="最早提前（天）"
        hint="最多可以提前几天预约，如 30"
        inputMode="numeric"
        maxLength={3}
        defaultValue={value("maxLeadDays")}
        errors={errors}
        required
      />
      <Field
        name="minLeadHours"
        label="最晚提前（小时）"
        hint="开始前至少提前几小时预约，0 表示开始前都可以"
        inputMode="numeric"
        maxLength={3}
        defaultValue={value("minLeadHours")}
        errors={errors}
        required
      />
      <RadioGroup
        name="approval"
        legend="审核方式"
        options={VENUE_APPROVALS.map((approval) => ({ value: approval, label: APPROVAL_CHOICES[approval] }))}
        defaultValue={value("approval")}
        errors={errors}
      />
      <Field
        name="answerHours"
        label="审核时限（小时）"
        hint="需审核的预约在这段时间内没有处理，申请自动过期并通知预约人"
        inputMode="numeric"
        maxLength={3}
        defaultValue={value("answerHours")}
        errors={errors}
        required
      />
      <MenuFields rows={rows} value={value} errors={errors} />
      {/* The save button comes first: Enter in a field submits with the form's first button. */}
      <div className="actions">
        <button type="submit" className="button button--primary button--big">
          {mode === "create" ? "新建阵地" : "保存修改"}
        </button>
        <button type="submit" name="intent" value="more-menu" className="button" formNoValidate>
          项目再加一行
        </button>
      </div>
    </Form>
  );
}

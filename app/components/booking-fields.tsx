import { ChoiceGroup, Field, TextAreaField } from "~/components/form";
import { menuCheckboxName } from "~/domain/venues/booking-form";
import { MAX_VENUE_CAPACITY } from "~/domain/venues/venues.schema";
import type { FieldErrors } from "~/lib/errors";

// The fields of one booking, shared by the booker's own form (预约) and the staff's 代订 form, so the
// two always ask the same things in the same words. `value` gives each field's value as typed (or
// prefilled); the day's limits and hints are the booker's form's.

type MenuItem = { id: string; title: string; minutes: number; maxGroupSize: number | null };

export function BookingFields({
  venue,
  value,
  errors,
  day,
  contactPhoneHint,
}: {
  venue: { capacity: number; menu: readonly MenuItem[] };
  value: (name: string) => string;
  errors?: FieldErrors;
  day?: { min: string; max: string; hint: string };
  contactPhoneHint?: string;
}) {
  return (
    <>
      <Field
        name="date"
        label="日期"
        type="date"
        hint={day?.hint}
        min={day?.min}
        max={day?.max}
        defaultValue={value("date")}
        errors={errors}
        required
      />
      <Field
        name="startTime"
        label="开始时间"
        type="time"
        hint="北京时间，如 09:00，须在开放时间内"
        step={300}
        defaultValue={value("startTime")}
        errors={errors}
        required
      />
      <Field
        name="endTime"
        label="结束时间"
        type="time"
        step={300}
        defaultValue={value("endTime")}
        errors={errors}
        required
      />
      <Field
        name="groupName"
        label="团体名称"
        hint="如：XX公司党支部"
        maxLength={60}
        defaultValue={value("groupName")}
        errors={errors}
        required
      />
      <Field
        name="expectedPersons"
        label="预计人数"
        inputMode="numeric"
        hint={`本阵地最多容纳 ${venue.capacity} 人`}
        maxLength={String(MAX_VENUE_CAPACITY).length}
        defaultValue={value("expectedPersons")}
        errors={errors}
        required
      />
      <Field
        name="contactName"
        label="联系人"
        maxLength={30}
        defaultValue={value("contactName")}
        errors={errors}
        required
      />
      <Field
        name="contactPhone"
        label="联系电话"
        type="tel"
        inputMode="tel"
        hint={contactPhoneHint}
        maxLength={20}
        defaultValue={value("contactPhone")}
        errors={errors}
        required
      />
      <TextAreaField
        name="purpose"
        label="活动内容"
        hint="如：主题党日，参观展馆后重温入党誓词"
        maxLength={500}
        rows={3}
        defaultValue={value("purpose")}
        errors={errors}
        required
      />
      {venue.menu.length > 0 ? (
        <ChoiceGroup name="menuItemIds" legend="预约项目（可多选）" errors={errors}>
          {venue.menu.map((item) => (
            <label key={item.id} className="choice">
              <input
                type="checkbox"
                name={menuCheckboxName(item.id)}
                value="on"
                defaultChecked={value(menuCheckboxName(item.id)) !== ""}
              />
              <span>
                {item.title}（约 {item.minutes} 分钟
                {item.maxGroupSize ? `，每批最多 ${item.maxGroupSize} 人` : ""}）
              </span>
            </label>
          ))}
        </ChoiceGroup>
      ) : null}
    </>
  );
}

import { describe, expect, it } from "vitest";
import { bookingFormErrors, readBookingForm } from "~/domain/venues/booking-form";
import { createBookingSchema } from "~/domain/venues/venues.schema";
import { fieldErrorsFrom } from "~/lib/zod";

// The 预约 form's fields become the API's body (one schema for both), and the schema's messages land
// on the fields the person sees.

const form = {
  date: "2030-03-05",
  startTime: "09:30",
  endTime: "11:00",
  groupName: "映月科技公司党支部",
  expectedPersons: "25",
  contactName: "王明",
  contactPhone: "13812345678",
  purpose: "主题党日活动",
  menuItem_m1: "on",
  menuItem_m2: "on",
  repeat: "NONE",
  repeatUntil: "",
  channel: "PHONE",
};

const errorsOf = (values: Record<string, string>) => {
  const parsed = createBookingSchema.safeParse(readBookingForm(values, "v1"));
  if (parsed.success) return {};
  return bookingFormErrors(fieldErrorsFrom(parsed.error), values);
};

describe("readBookingForm", () => {
  it("makes China moments of the day and times, gathers the menu and keeps the web channel", () => {
    const input = createBookingSchema.parse(readBookingForm(form, "v1"));
    expect(input.startsAt.toISOString()).toBe("2030-03-05T01:30:00.000Z");
    expect(input.endsAt.toISOString()).toBe("2030-03-05T03:00:00.000Z");
    expect(input.menuItemIds).toEqual(["m1", "m2"]);
    expect(input.channel).toBe("WEB");
    expect(input.repeat).toBeUndefined();
    expect(input.expectedPersons).toBe(25);
  });

  it("reads a series", () => {
    const input = createBookingSchema.parse(
      readBookingForm({ ...form, repeat: "BIWEEKLY", repeatUntil: "2030-05-01" }, "v1"),
    );
    expect(input.repeat).toBe("BIWEEKLY");
    expect(input.repeatUntil?.toISOString().slice(0, 10)).toBe("2030-05-01");
  });
});

describe("bookingFormErrors", () => {
  it("says a missing or malformed day and clock on their own fields", () => {
    expect(errorsOf({ ...form, date: "", startTime: "", endTime: "" })).toMatchObject({
      date: "请选择日期",
      startTime: "请选择开始时间",
      endTime: "请选择结束时间",
    });
    const wrong = errorsOf({ ...form, date: "2030-02-30", startTime: "9点", endTime: "24:30" });
    expect(wrong.date).toBe("请选择有效的日期，如 2026-12-08");
    expect(wrong.startTime).toBe("开始时间格式应为 09:00");
    expect(wrong.endTime).toBe("结束时间格式应为 11:00");
    expect(wrong).not.toHaveProperty("startsAt");
  });

  it("puts the range's message on the end time and a bad menu id on the menu", () => {
    const errors = errorsOf({ ...form, endTime: "09:00", "menuItem_%00": "on" });
    expect(errors.endTime).toBe("结束时间应晚于开始时间");
    expect(errors.menuItemIds).toBe("编号格式不正确");
    expect(Object.keys(errors).some((key) => key.startsWith("menuItemIds."))).toBe(false);
  });

  it("keeps the other fields' messages", () => {
    const errors = errorsOf({ ...form, groupName: "", repeat: "WEEKLY" });
    expect(errors.groupName).toBe("请填写团体名称");
    expect(errors.repeatUntil).toBe("请填写重复截止日期");
  });
});

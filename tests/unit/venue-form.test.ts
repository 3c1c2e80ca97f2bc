import { describe, expect, it } from "vitest";
import { parseVenueForm, venueFormInput, venueFormValues } from "~/domain/venues/venue-form";
import { createVenueSchema, updateVenueSchema } from "~/domain/venues/venues.schema";
import { DomainError } from "~/lib/errors";

// The staff's venue form without JavaScript (issue 19): rows of opening hours and menu items become
// the API's body, parsed by the API's own schema, and its errors come back on the rows they name.

const venue = {
  name: "映月社区活动室",
  address: "映月路12号",
  capacity: 60,
  description: "可开展主题党日。",
  approval: "STAFF",
  minLeadMinutes: 90,
  maxLeadDays: 30,
  answerHours: 48,
  openingHours: [1, 2, 3, 4].map((n) => ({
    weekday: 1,
    opens: `${String(6 + 3 * n).padStart(2, "0")}:00`,
    closes: `${String(7 + 3 * n).padStart(2, "0")}:00`,
  })),
  menu: [{ title: "重温入党誓词", minutes: 20, maxGroupSize: 30 }],
};

/** The DomainError a call throws, for its fields. */
function thrown(call: () => unknown): DomainError {
  try {
    call();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("nothing was thrown");
}

describe("the venue form", () => {
  it("gives back a venue's values unchanged, four ranges a day included", () => {
    const { input } = parseVenueForm(updateVenueSchema, venueFormValues(venue));
    expect(input.openingHours).toEqual(venue.openingHours);
    expect(input.menu).toEqual(venue.menu);
    // The form asks whole hours: 90 minutes shows as 2 hours.
    expect(input.minLeadMinutes).toBe(120);
  });

  it("ignores blank rows and the rows marked 删除此项", () => {
    const { input, rowOf } = venueFormInput({
      "hours-2-1-opens": "14:00",
      "hours-2-1-closes": "17:00",
      "hours-3-0-opens": " ",
      menuRows: "4",
      "menu-1-title": "参观展馆",
      "menu-1-minutes": "40",
      "menu-2-title": "红色教育讲座",
      "menu-2-minutes": "60",
      "menu-2-remove": "on",
      minLeadHours: "3",
    });
    expect(input.openingHours).toEqual([{ weekday: 2, opens: "14:00", closes: "17:00" }]);
    expect(input.menu).toEqual([{ title: "参观展馆", minutes: "40", maxGroupSize: undefined }]);
    expect(input.minLeadMinutes).toBe(180);
    expect(rowOf).toEqual({ "openingHours.0": "hours-2-1", "menu.0": "menu-1" });
  });

  it("names each error by the row it came from", () => {
    const error = thrown(() =>
      parseVenueForm(createVenueSchema, {
        ...venueFormValues(venue),
        territoryId: "c1",
        "hours-5-2-opens": "10:00",
        "menu-0-minutes": "一刻钟",
        minLeadHours: "1.5",
      }),
    );
    expect(error.fields).toEqual({
      "hours-5-2-closes": "请填写关门时间",
      "menu-0-minutes": "项目时长（分钟）应为整数",
      minLeadHours: "最晚提前（小时）应为整数",
    });
  });

  it("caps the rows a forged menuRows asks for", () => {
    const { input } = venueFormInput({ menuRows: "100000", "menu-99999-title": "伪造的行" });
    expect(input.menu).toEqual([]);
  });
});

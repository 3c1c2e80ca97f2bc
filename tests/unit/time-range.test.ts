import { describe, expect, it } from "vitest";
import { fromChinaLocal } from "~/lib/china-time";
import { formatTimeRange } from "~/lib/format";

// An activity's or a booking's time as every page writes it, in China's time zone.

describe("formatTimeRange", () => {
  it.each([
    ["2026-12-01T09:30", "2026-12-01T11:30", "2026年12月1日（周二）09:30–11:30"],
    // Ending the next day (an evening event), the second date is 次日: one line shorter on a phone.
    ["2026-12-07T23:24", "2026-12-08T00:24", "2026年12月7日（周一）23:24 至次日00:24"],
    ["2026-12-31T20:00", "2027-01-01T02:00", "2026年12月31日（周四）20:00 至次日02:00"],
    // Over several days: both dates.
    ["2026-12-07T09:00", "2026-12-09T17:00", "2026年12月7日（周一）09:00 至 2026年12月9日（周三）17:00"],
  ])("%s to %s reads %s", (start, end, words) => {
    expect(formatTimeRange(fromChinaLocal(start), fromChinaLocal(end))).toBe(words);
  });

  it("reads the same on a server in another time zone (UTC instants)", () => {
    expect(formatTimeRange("2026-12-07T15:24:00Z", "2026-12-07T16:24:00Z")).toBe(
      "2026年12月7日（周一）23:24 至次日00:24",
    );
  });
});

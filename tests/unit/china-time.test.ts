import { describe, expect, it } from "vitest";
import {
  chinaDate,
  chinaDay,
  chinaDayMoments,
  chinaIso,
  chinaLocalInput,
  chinaMidnight,
  chinaMinute,
  fromChinaLocal,
  isoDay,
  isoWeek,
} from "~/lib/china-time";

// The one China-time helper every date boundary uses: a day turns at 16:00 UTC.

describe("China time", () => {
  it("puts a moment on the China date it falls on", () => {
    expect(chinaDate(new Date("2026-12-01T15:59:59.999Z"))).toBe("2026-12-01");
    expect(chinaDate("2026-12-01T16:00:00Z")).toBe("2026-12-02");
    expect(isoDay(chinaDay(new Date("2026-12-31T16:00:00Z")))).toBe("2027-01-01");
    expect(chinaDay(new Date("2026-12-01T03:00:00Z"))).toEqual(new Date("2026-12-01T00:00:00Z"));
  });

  it("starts a China day at the moment its clock reads midnight", () => {
    const day = chinaDay(new Date("2026-03-05T10:00:00Z"));
    expect(chinaMidnight(day).toISOString()).toBe("2026-03-04T16:00:00.000Z");
    expect(chinaDay(chinaMidnight(day))).toEqual(day);
    expect(chinaIso(chinaMidnight(day)).slice(0, 16)).toBe("2026-03-05T00:00");
  });

  it("writes a moment to the minute as a China clock shows it", () => {
    expect(chinaMinute(new Date("2026-12-01T01:30:59Z"))).toBe("2026-12-01 09:30");
    expect(chinaMinute("2026-12-31T16:05:00Z")).toBe("2027-01-01 00:05");
  });

  it("bounds a period of China days from the first midnight to the one after the last day", () => {
    const period = { from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-03-31T00:00:00Z") };
    expect(chinaDayMoments(period)).toEqual({
      gte: new Date("2026-02-28T16:00:00Z"),
      lt: new Date("2026-03-31T16:00:00Z"),
    });
  });

  it("reads and fills a datetime-local field in China time", () => {
    expect(fromChinaLocal("2026-12-01T09:30")).toEqual(new Date("2026-12-01T01:30:00Z"));
    expect(chinaLocalInput("2026-12-01T01:30:00Z")).toBe("2026-12-01T09:30");
    expect(chinaLocalInput(fromChinaLocal("2027-01-01T00:05"))).toBe("2027-01-01T00:05");
  });

  it("names the ISO week of a China day, the year being its Thursday's", () => {
    const week = (day: string) => isoWeek(new Date(`${day}T00:00:00Z`));
    expect(week("2026-12-07")).toBe("2026-W50");
    expect(week("2026-12-06")).toBe("2026-W49");
    expect(week("2027-01-01")).toBe("2026-W53");
    expect(week("2027-01-04")).toBe("2027-W01");
    expect(week("2024-12-30")).toBe("2025-W01");
  });
});

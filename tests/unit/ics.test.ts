import { describe, expect, it } from "vitest";
import { buildIcs, escapeText, foldLine, icsDateTime } from "~/lib/ics";

// 加入日历: the .ics file as RFC 5545 wants it, since phone calendars are strict about the details.

const octets = (text: string) => new TextEncoder().encode(text).length;

/** Undoes folding (CRLF followed by one space), as a calendar reading the file does. */
const unfold = (text: string) => text.replaceAll("\r\n ", "");

const event = {
  uid: "ckactivity1@sanshe",
  // 2026-12-01 09:30 to 11:30 in China (UTC+8).
  start: new Date("2026-12-01T09:30:00+08:00"),
  end: new Date("2026-12-01T11:30:00+08:00"),
  summary: "重阳节敬老茶话会",
  location: "映月社区活动中心, 二楼; 多功能厅",
  description: "带上老花镜\n欢迎家属陪同",
};

describe("icsDateTime", () => {
  it("writes UTC as YYYYMMDDTHHMMSSZ", () => {
    expect(icsDateTime(event.start)).toBe("20261201T013000Z");
    expect(icsDateTime(new Date("2026-12-31T23:59:59.999Z"))).toBe("20261231T235959Z");
  });
});

describe("escapeText", () => {
  it("escapes backslash, semicolon and comma, and writes line breaks as \\n", () => {
    expect(escapeText("a\\b;c,d")).toBe("a\\\\b\\;c\\,d");
    expect(escapeText("一\r\n二\n三\r四")).toBe("一\\n二\\n三\\n四");
    // The backslash is escaped first, so an escape is never escaped twice.
    expect(escapeText("\\;")).toBe("\\\\\\;");
  });
});

describe("foldLine", () => {
  it("leaves a line of 75 octets alone", () => {
    const line = "x".repeat(75);
    expect(foldLine(line)).toBe(line);
  });

  it("folds longer lines at 75 octets, continuations starting with a space", () => {
    const folded = foldLine("y".repeat(200));
    const lines = folded.split("\r\n");
    expect(lines.length).toBe(3);
    expect(lines[0]).toBe("y".repeat(75));
    expect(lines[1]).toBe(` ${"y".repeat(74)}`);
    for (const line of lines) expect(octets(line)).toBeLessThanOrEqual(75);
    expect(unfold(folded)).toBe("y".repeat(200));
  });

  it("never splits a Chinese character or an emoji", () => {
    const text = `DESCRIPTION:${"社区活动🧓🏻".repeat(30)}`;
    const folded = foldLine(text);
    for (const line of folded.split("\r\n")) {
      expect(octets(line)).toBeLessThanOrEqual(75);
      // No character cut in two: the octets decode back to the same text, and no lone surrogate.
      expect(new TextDecoder().decode(new TextEncoder().encode(line))).toBe(line);
      expect(line).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    expect(unfold(folded)).toBe(text);
  });
});

describe("buildIcs", () => {
  const stamp = new Date("2026-11-26T06:00:00Z");
  const ics = buildIcs({ ...event, url: "https://example.org/activities/ckactivity1" }, stamp);

  it("is one VEVENT in a VCALENDAR with CRLF line endings", () => {
    expect(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(ics.endsWith("END:VEVENT\r\nEND:VCALENDAR\r\n")).toBe(true);
    expect(ics.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    expect(ics).toContain("PRODID:");
  });

  it("carries the UID, DTSTAMP, times in UTC and the escaped text", () => {
    const lines = unfold(ics).split("\r\n");
    expect(lines).toContain("UID:ckactivity1@sanshe");
    expect(lines).toContain("DTSTAMP:20261126T060000Z");
    expect(lines).toContain("DTSTART:20261201T013000Z");
    expect(lines).toContain("DTEND:20261201T033000Z");
    expect(lines).toContain("SUMMARY:重阳节敬老茶话会");
    expect(lines).toContain("LOCATION:映月社区活动中心\\, 二楼\\; 多功能厅");
    expect(lines).toContain("DESCRIPTION:带上老花镜\\n欢迎家属陪同");
    expect(lines).toContain("URL:https://example.org/activities/ckactivity1");
  });

  it("folds every line to at most 75 octets", () => {
    const long = buildIcs({ ...event, description: "请提前十分钟到场签到，".repeat(40) }, stamp);
    for (const line of long.split("\r\n")) expect(octets(line)).toBeLessThanOrEqual(75);
    // A full-width comma is not the TEXT separator: it stays as it is.
    expect(unfold(long)).toContain(`DESCRIPTION:${"请提前十分钟到场签到，".repeat(40)}\r\n`);
  });

  it("leaves out what is not given and marks a cancelled event", () => {
    const bare = buildIcs(
      { uid: "x@sanshe", start: event.start, end: event.end, summary: "a", status: "CANCELLED" },
      stamp,
    );
    expect(bare).not.toContain("LOCATION");
    expect(bare).not.toContain("DESCRIPTION");
    expect(bare).toContain("STATUS:CANCELLED\r\n");
  });
});

import { chinaDate, chinaIso, chinaMidnight, DAY_MS, isoDay } from "~/lib/china-time";
import { bookingRuleErrors, chinaClock, WEEKDAY_LABELS } from "./venues.schema";
import { loadVenue, rulesOf, venueAvailability } from "./venues.server";

// A venue's week of free and taken time as its pages show it, and the free times nearest to one a
// group could not have (SLOT_TAKEN). Both read venueAvailability, so neither knows who holds a time.

type Range = { startsAt: string; endsAt: string };

/** "09:00" of an ISO moment, in China time. */
const clock = (iso: string) => chinaIso(iso).slice(11, 16);

/** The open ranges with the taken ones cut out: what a group may still book that day. */
export function freeOf(open: Range[], taken: Range[]): Range[] {
  const free: Range[] = [];
  for (const range of open) {
    let from = range.startsAt;
    for (const held of taken) {
      if (held.endsAt <= from || held.startsAt >= range.endsAt) continue;
      if (held.startsAt > from) free.push({ startsAt: from, endsAt: held.startsAt });
      if (held.endsAt > from) from = held.endsAt;
    }
    if (from < range.endsAt) free.push({ startsAt: from, endsAt: range.endsAt });
  }
  return free;
}

/** The free ranges from `earliest` on: time already past, or too soon to book, is not free. */
function freeFrom(free: Range[], earliest: string): Range[] {
  return free
    .filter((range) => range.endsAt > earliest)
    .map((range) => (range.startsAt < earliest ? { ...range, startsAt: earliest } : range))
    .filter((range) => range.startsAt < range.endsAt);
}

/** Seven China days from `from` (a China day as UTC midnight): each day's free and taken clock
 * ranges, and the days a week before and after, for the pages' 上一周 / 下一周. Free time starts at
 * the earliest moment the venue may still be booked (now plus its shortest notice, rounded up to ten
 * minutes), so nobody is shown a free morning that has gone; a day wholly before it is `past`. */
export async function venueWeek(venueId: string, from: Date, now = new Date()) {
  const to = new Date(from.getTime() + 6 * DAY_MS);
  const [venue, { days }] = await Promise.all([loadVenue(venueId), venueAvailability(venueId, { from, to })]);
  const step = 10 * 60_000;
  const earliest = new Date(
    Math.ceil((now.getTime() + venue.minLeadMinutes * 60_000) / step) * step,
  ).toISOString();
  const today = chinaDate(now);
  const tomorrow = chinaDate(new Date(now.getTime() + DAY_MS));
  return {
    days: days.map((day) => ({
      date: day.date,
      weekday: WEEKDAY_LABELS[((new Date(day.date).getUTCDay() + 6) % 7) + 1],
      relative: day.date === today ? "今天" : day.date === tomorrow ? "明天" : null,
      open: day.open.length > 0,
      past: day.open.length > 0 && day.open.every((range) => range.endsAt <= earliest),
      free: freeFrom(freeOf(day.open, day.taken), earliest).map(
        (r) => `${clock(r.startsAt)}–${clock(r.endsAt)}`,
      ),
      taken: day.taken.map((r) => `${clock(r.startsAt)}–${clock(r.endsAt)}`),
    })),
    previous: isoDay(new Date(from.getTime() - 7 * DAY_MS)),
    next: isoDay(new Date(from.getTime() + 7 * DAY_MS)),
  };
}
export type VenueWeek = Awaited<ReturnType<typeof venueWeek>>;

/** How many alternatives a refused booking is offered, and how far around its day they are sought. */
const ALTERNATIVES = 3;
const DAYS_BEFORE = 3;
const DAYS_AFTER = 10;

export type FreeTime = { date: string; startTime: string; endTime: string };

/** The free times of the same length nearest to the one asked for (same clock time where the day
 * allows it), each one bookable under the venue's rules now. Empty when none is near. */
export async function nearestFreeTimes(
  venueId: string,
  asked: { startsAt: Date; endsAt: Date },
  now = new Date(),
): Promise<FreeTime[]> {
  const venue = await loadVenue(venueId);
  const rules = rulesOf(venue);
  const length = asked.endsAt.getTime() - asked.startsAt.getTime();
  const askedMinute = chinaClock(asked.startsAt).minute;
  const askedDay = new Date(`${chinaDate(asked.startsAt)}T00:00:00Z`);
  const today = new Date(`${chinaDate(now)}T00:00:00Z`);
  const from = new Date(Math.max(today.getTime(), askedDay.getTime() - DAYS_BEFORE * DAY_MS));
  const to = new Date(askedDay.getTime() + DAYS_AFTER * DAY_MS);
  if (to < from) return [];
  const { days } = await venueAvailability(venueId, { from, to });
  const candidates: { startsAt: Date; endsAt: Date }[] = [];
  for (const day of days) {
    const wanted = chinaMidnight(new Date(`${day.date}T00:00:00Z`)).getTime() + askedMinute * 60_000;
    for (const range of freeOf(day.open, day.taken)) {
      const first = new Date(range.startsAt).getTime();
      const last = new Date(range.endsAt).getTime() - length;
      if (last < first) continue;
      const start = Math.min(Math.max(wanted, first), last);
      const candidate = { startsAt: new Date(start), endsAt: new Date(start + length) };
      const errors = bookingRuleErrors(rules, { ...candidate, expectedPersons: 1 }, now);
      if (!errors.startsAt) candidates.push(candidate);
    }
  }
  const distance = (c: { startsAt: Date }) => Math.abs(c.startsAt.getTime() - asked.startsAt.getTime());
  return candidates
    .sort((a, b) => distance(a) - distance(b))
    .slice(0, ALTERNATIVES)
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
    .map((c) => ({
      date: chinaDate(c.startsAt),
      startTime: clock(c.startsAt.toISOString()),
      endTime: clock(c.endsAt.toISOString()),
    }));
}

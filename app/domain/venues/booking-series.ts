import { chinaMidnight, DAY_MS } from "~/lib/china-time";
import { type CreateBookingInput, MAX_SERIES_DAYS } from "./venues.schema";

// A series of bookings (重复预约, issue 19): the dates one request asks for.

export type Occurrence = { startsAt: Date; endsAt: Date };

/** The dates of a series: the first, then every week or two up to the last day asked (China date),
 * at most six months after the first (the schema refuses a later end, so the cap here only guards).
 * China keeps one offset all year, so a week is 7 × 24 h. */
export function occurrencesOf(input: CreateBookingInput): Occurrence[] {
  const first = { startsAt: input.startsAt, endsAt: input.endsAt };
  if (!input.repeat || !input.repeatUntil) return [first];
  const step = (input.repeat === "WEEKLY" ? 7 : 14) * DAY_MS;
  const lastMoment = Math.min(
    chinaMidnight(input.repeatUntil).getTime() + DAY_MS,
    input.startsAt.getTime() + MAX_SERIES_DAYS * DAY_MS,
  );
  const dates: Occurrence[] = [];
  for (let k = 0; input.startsAt.getTime() + k * step < lastMoment; k += 1) {
    dates.push({
      startsAt: new Date(input.startsAt.getTime() + k * step),
      endsAt: new Date(input.endsAt.getTime() + k * step),
    });
  }
  return dates;
}

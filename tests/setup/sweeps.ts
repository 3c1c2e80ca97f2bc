import { chinaDay, DAY_MS } from "~/lib/china-time";

// npm test samples the heaviest sweeps: property runs, the fuzz suite's endpoints and forms, the
// header and method sweeps over every route, and the tests that start processes of their own
// (todaysShareOf); of the browser files it runs the smoke journey (vitest.config.ts). npm run
// test:full (what CI runs) runs them whole. A sweep that takes more than a few seconds takes its size from here, so both commands check
// the same things, one of them less often.

/** True under npm run test:full. */
export const FULL_SWEEPS = process.env.TEST_FULL === "1";

/** Property-test runs: `full` under test:full, a fifth of it (at least 10) under npm test. */
export const propertyRuns = (full: number) => (FULL_SWEEPS ? full : Math.max(10, Math.round(full / 5)));

/** How many slices a sampled list is cut into under npm test. */
const SLICES = 3;

/** Which slice npm test takes: a different one each day (China's calendar), so a few days of runs
 * cover the whole list. Read once per test process, so a file that runs across midnight takes the
 * slice its tests' names say. SWEEP_SLICE=0..2 picks one. */
const SLICE = (() => {
  const chosen = Number(process.env.SWEEP_SLICE);
  if (Number.isInteger(chosen) && chosen >= 0 && chosen < SLICES) return chosen;
  return (chinaDay(new Date()).getTime() / DAY_MS) % SLICES;
})();

/** A list the whole of which test:full sweeps; npm test takes today's third of it (every third item,
 * from today's slice on). */
export function sampled<T>(items: T[]): T[] {
  if (FULL_SWEEPS) return items;
  return items.filter((_, index) => index % SLICES === SLICE);
}

/** What sampled() takes, for a test's name. */
export const SAMPLED = FULL_SWEEPS ? "all" : `slice ${SLICE + 1} of ${SLICES} (test:full: all)`;

/**
 * For a file of tests that each start our processes of their own (a worker killed mid-job, a
 * dependency down at start, a second web process): a cold process costs seconds of CPU before it
 * does anything. Under npm test today's third of such tests runs, counted on from an offset of the
 * file's own so that files of one or two tests fall on different days; test:full runs them all.
 * Call it once per file, then once per test in the file's order: `it.runIf(todays())(…)`.
 */
export function todaysShareOf(file: string): () => boolean {
  let index = [...file].reduce((sum, char) => sum + (char.codePointAt(0) ?? 0), 0);
  return () => FULL_SWEEPS || index++ % SLICES === SLICE;
}

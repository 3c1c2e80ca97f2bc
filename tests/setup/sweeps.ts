// npm test runs every test, with the heaviest sweeps sampled: property runs, the fuzz suite, the axe
// matrix. npm run test:full (what CI runs) runs them whole. A sweep that takes more than a few
// seconds takes its size from here, so both commands check the same things, one of them less often.

/** True under npm run test:full. */
export const FULL_SWEEPS = process.env.TEST_FULL === "1";

/** Property-test runs: `full` under test:full, a fifth of it (at least 10) under npm test. */
export const propertyRuns = (full: number) => (FULL_SWEEPS ? full : Math.max(10, Math.round(full / 5)));

import { tmpdir } from "node:os";
import { join } from "node:path";
import { workerDatabaseUrl, workerRedisPrefix } from "./worker-databases";

// The first setup file of the projects that use PostgreSQL and Redis: points this test file's
// process at its worker's database and Redis key prefix before anything reads the environment.
// Processes the tests spawn inherit both.

const poolId = process.env.VITEST_POOL_ID;
// Kept apart in case vitest reuses the process for another file.
process.env.SANSHE_TEST_DATABASE_URL ??= process.env.DATABASE_URL;
const baseUrl = process.env.SANSHE_TEST_DATABASE_URL;
if (!poolId || !baseUrl) throw new Error("Run the tests with vitest (npm test): VITEST_POOL_ID is not set");
process.env.DATABASE_URL = workerDatabaseUrl(baseUrl, poolId);
process.env.REDIS_KEY_PREFIX = workerRedisPrefix(poolId);
// Evidence files (ADR 0026) go to a directory of this run's own, never the checkout's data folder.
process.env.EVIDENCE_DIR = join(tmpdir(), `sanshe-evidence-${process.pid}`);

#!/usr/bin/env bash
# npm test: the same preparation as npm start, for a separate test database, then the tests, the
# files in parallel. Extra arguments go to vitest (e.g. `npm test -- --project unit`).
# npm run test:full (TEST_FULL=1, what CI runs) runs every browser journey and the heaviest sweeps
# whole; npm test runs the smoke journey and samples the sweeps (tests/setup/sweeps.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

export NODE_ENV=test
# The template of the per-worker databases: vitest's global setup creates and migrates it when
# needed, then clones it for every worker (tests/setup/worker-databases.ts).
export DATABASE_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/sanshe_test}"
# Redis database 1 keeps test keys apart from a developer's running app (database 0); each worker
# prefixes its keys within it.
export REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/1}"
export SESSION_SECRET="${SESSION_SECRET:-test-secret-test-secret-test-secret-0000}"
export LOG_LEVEL="${LOG_LEVEL:-warn}"

# A test file or folder named on the command line runs whole (every journey, every sweep): whoever
# names a file wants all of it.
for arg in "$@"; do
  if [ -e "$arg" ]; then export TEST_FULL=1; fi
done

ensure_node_modules
ensure_postgres
ensure_redis
bash scripts/ensure-browser.sh
ensure_build

exec node_modules/.bin/vitest run "$@"

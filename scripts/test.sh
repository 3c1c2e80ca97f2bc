#!/usr/bin/env bash
# npm test: the same preparation as npm start, for a separate test database, then every test.
# Extra arguments go to vitest (e.g. `npm test -- --project unit`).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

export NODE_ENV=test
export DATABASE_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/sanshe_test}"
# Redis database 1 keeps test keys apart from a developer's running app (database 0).
export REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/1}"
export SESSION_SECRET="${SESSION_SECRET:-test-secret-test-secret-test-secret-0000}"
export LOG_LEVEL="${LOG_LEVEL:-warn}"

ensure_node_modules
ensure_postgres
ensure_redis
ensure_database
bash scripts/ensure-browser.sh
ensure_build

npx vitest run "$@"

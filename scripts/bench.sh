#!/usr/bin/env bash
# npm run bench: prepare a benchmark database with the demo data, build, then run tests/bench.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

export NODE_ENV=production
export DATABASE_URL="${BENCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/sanshe_bench}"
export REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/2}"
export SESSION_SECRET="${SESSION_SECRET:-bench-secret-bench-secret-bench-secret-00}"
export LOG_LEVEL=warn

ensure_node_modules
ensure_postgres
ensure_redis
ensure_database
npx tsx prisma/seed.ts
ensure_build
npx tsx tests/bench/run.ts

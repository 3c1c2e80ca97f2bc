#!/usr/bin/env bash
# npm run bench: prepare a benchmark database with the demo data, build, then run tests/bench:
# first the HTTP and activities benchmarks on the demo data (sanshe_bench), then the statistics over the demo
# data scaled ×100 (sanshe_bench_stats), then search and matching at 10k and 100k
# generated documents in a database of their own (sanshe_bench_search), so the first keeps the
# plain demo data. BENCH_SEARCH_SIZES=10000 runs the second at one size only; BENCH_DOCS=1000000 runs it
# at a million documents (30–45 min on an idle machine, most of it generating and indexing; see README);
# BENCH_PHASE=prepare only generates and indexes it, BENCH_PHASE=measure later measures what is there.
# BENCH_ONLY=search runs search and matching alone; BENCH_ONLY=registration runs the registration rush
# alone (tests/bench/activities.ts, part 1); BENCH_ONLY=bookings the venue booking race; BENCH_ONLY=projects
# the project progress read alone (tests/bench/projects.ts, on the statistics database; BENCH_PROJECTS=50
# and BENCH_STATS_SCALE=2 make it a quick check). BENCH_DATABASE_URL,
# BENCH_STATS_DATABASE_URL, BENCH_SEARCH_DATABASE_URL and BENCH_REDIS_URL choose other databases.
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
if [ "${BENCH_ONLY:-}" = projects ]; then
  export DATABASE_URL="${BENCH_STATS_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/sanshe_bench_stats}"
fi
if [ "${BENCH_ONLY:-}" != search ]; then
  ensure_database
  npx tsx prisma/seed.ts
fi
ensure_build
if [ "${BENCH_ONLY:-}" = bookings ]; then
  # The venue booking race (issue 19): one slot and distinct slots, through the HTTP stack.
  npx tsx tests/bench/venues.ts
  exit 0
fi
if [ "${BENCH_ONLY:-}" = projects ]; then
  # Government-purchased projects (issue 18): the progress read with 1,000 projects at ×100.
  npx tsx tests/bench/projects.ts
  exit 0
fi
if [ "${BENCH_ONLY:-}" = registration ]; then
  BENCH_ACTIVITY_PARTS=1 npx tsx tests/bench/activities.ts
  exit 0
fi
if [ "${BENCH_ONLY:-}" != search ]; then
  npx tsx tests/bench/run.ts
  # Activities: the registration rush (600 at once, 100 seats), tallies at 1M check-ins, life-cycle lateness.
  npx tsx tests/bench/activities.ts
  # Venues: the booking race, one slot and distinct slots (tests/bench/venues.ts).
  npx tsx tests/bench/venues.ts

  # Statistics: the dashboard API over the demo data scaled ×100, in a database of its own.
  export DATABASE_URL="${BENCH_STATS_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/sanshe_bench_stats}"
  ensure_database
  npx tsx prisma/seed.ts
  npx tsx tests/bench/stats.ts
  # Projects: GET /api/v1/projects/:id with 1,000 projects on the same scaled data.
  npx tsx tests/bench/projects.ts
fi

# Search and matching: the embedded PostgreSQL engine, whatever the environment says.
export DATABASE_URL="${BENCH_SEARCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/sanshe_bench_search}"
export SEARCH_ENGINE=postgres
ensure_postgres
ensure_database
npx tsx prisma/seed.ts
npx tsx tests/bench/search.ts

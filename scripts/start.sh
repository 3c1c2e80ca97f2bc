#!/usr/bin/env bash
# npm start: set up whatever is missing, then run the web app and the worker together.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

load_dotenv
if [ -z "${SESSION_SECRET:-}" ]; then
  # A fresh machine gets its own secret, kept in .env (ignored by git) so sessions survive restarts.
  secret=$(node -e 'console.log(require("node:crypto").randomBytes(32).toString("hex"))')
  echo "SESSION_SECRET=$secret" >> .env
  export SESSION_SECRET=$secret
  say "wrote a new SESSION_SECRET to .env"
fi
default_env
export NODE_ENV="${NODE_ENV:-production}"

ensure_node_modules
ensure_postgres
ensure_redis
ensure_database
npx tsx prisma/seed.ts
ensure_build

port="${PORT:-3000}"
say "starting the worker and the web app on http://localhost:$port"
say "demo sign-in: district admin ${DEMO_ADMIN_PHONE:-13800000000} / ${DEMO_ADMIN_PASSWORD:-sanshe-admin-2026}; every other demo account uses sanshe2026 (README.md lists them)"

node --import tsx workers/index.ts &
worker=$!
node --import tsx scripts/serve.ts &
web=$!
stop() { kill -TERM "$web" "$worker" 2>/dev/null || true; wait "$web" "$worker" 2>/dev/null || true; }
trap stop INT TERM
# When either process ends, stop the other and report its exit status.
set +e
wait -n "$web" "$worker"
status=$?
stop
exit "$status"

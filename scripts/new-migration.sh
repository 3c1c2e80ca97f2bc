#!/usr/bin/env bash
# Writes a migration for the difference between prisma/migrations and prisma/schema.prisma, applies it
# and regenerates the client. Usage: npm run db:new-migration -- what_changed
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
[ $# -eq 1 ] && [[ "$1" =~ ^[a-z0-9_]+$ ]] || { echo "usage: npm run db:new-migration -- what_changed (a-z, 0-9, _)" >&2; exit 2; }
load_dotenv
default_env
ensure_postgres
ensure_database
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$1"
sql=$(mktemp)
# The diff replays the migrations in a temporary shadow database (prisma.config.ts creates and drops
# it); the new folder is made only afterwards, since Prisma refuses a migration folder without SQL.
npx prisma migrate diff --from-migrations prisma/migrations --to-schema-datamodel prisma/schema.prisma --script >"$sql"
if grep -q "This is an empty migration" "$sql"; then
  rm "$sql"
  echo "The schema matches the migrations; nothing to write."
  exit 0
fi
mkdir -p "$dir"
mv "$sql" "$dir/migration.sql"
npx prisma migrate deploy
npx prisma generate >/dev/null
echo "Wrote $dir/migration.sql"

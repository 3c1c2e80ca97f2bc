# Shared set-up steps for scripts/start.sh and scripts/test.sh. Each step says what it did.
# Sourced, not run: the caller sets `set -euo pipefail`.

say() { printf '\033[1m[sanshe]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[sanshe] %s\033[0m\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }
have() { command -v "$1" >/dev/null 2>&1; }

apt_install() {
  if is_root && have apt-get; then
    say "installing with apt-get: $*"
    if [ -z "${SANSHE_APT_UPDATED:-}" ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      export SANSHE_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    die "missing: $*. Install it with: sudo apt-get install -y $*"
  fi
}

load_dotenv() {
  if [ -f .env ]; then
    set -a
    # shellcheck disable=SC1091
    . ./.env
    set +a
  fi
}

ensure_node_modules() {
  local stamp=node_modules/.package-lock.json
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    say "installing npm dependencies (npm ci)"
    # Dev dependencies too: the build and the tests need them, even when NODE_ENV=production.
    npm ci --include=dev --no-audit --no-fund
  fi
  # The generated client is derived from the schema. A stamp of the schema's hash says whether it is
  # current: the timestamps cannot (npm may leave a stub client behind when it skips install scripts).
  local schema_hash stamp_file=node_modules/.prisma/client/.schema-sha256
  schema_hash=$(sha256sum prisma/schema.prisma | cut -d' ' -f1)
  if [ "$(cat "$stamp_file" 2>/dev/null)" != "$schema_hash" ]; then
    say "generating the Prisma client"
    npx prisma generate >/dev/null
    echo "$schema_hash" >"$stamp_file"
  fi
}

# host and port of a URL: url_host_port postgresql://u@h:5432/db -> "h 5432"
url_host_port() {
  node -e 'const u = new URL(process.argv[1]); console.log(u.hostname.replace(/^\[|\]$/g, ""), u.port || process.argv[2])' "$1" "$2"
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for_port() {
  local host=$1 port=$2 tries=${3:-60}
  for _ in $(seq "$tries"); do
    port_open "$host" "$port" && return 0
    sleep 0.5
  done
  return 1
}

is_local() { case "$1" in 127.0.0.1|localhost|::1) return 0 ;; *) return 1 ;; esac; }

ensure_postgres() {
  local host port
  read -r host port < <(url_host_port "$DATABASE_URL" 5432)
  port_open "$host" "$port" && return 0
  is_local "$host" || die "PostgreSQL at $host:$port does not answer (DATABASE_URL). Start it, or unset DATABASE_URL to use a local one."
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    apt_install postgresql
    # A local development cluster: trust connections from this machine only, like the dev machines.
    local hba
    hba=$(ls /etc/postgresql/*/main/pg_hba.conf | head -n 1)
    sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
    say "installed PostgreSQL and set it to trust local TCP connections ($hba)"
  fi
  say "starting the local PostgreSQL cluster"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start \
    || die "could not start PostgreSQL. Try: pg_ctlcluster $(ls /etc/postgresql | head -n 1) main start"
  wait_for_port "$host" "$port" || die "PostgreSQL did not start listening on $host:$port"
}

ensure_redis() {
  local host port
  read -r host port < <(url_host_port "$REDIS_URL" 6379)
  port_open "$host" "$port" && return 0
  is_local "$host" || die "Redis at $host:$port does not answer (REDIS_URL). Start it, or unset REDIS_URL to use a local one."
  have redis-server || apt_install redis-server
  say "starting a local Redis on port $port"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$port" --save "" --appendonly no \
    --dir /tmp --logfile /tmp/sanshe-redis.log
  wait_for_port "$host" "$port" || die "Redis did not start listening on $host:$port"
}

ensure_database() {
  say "preparing database $(node -e 'console.log(new URL(process.argv[1]).pathname.slice(1))' "$DATABASE_URL")"
  npx tsx scripts/create-database.ts
  npx prisma migrate deploy >/dev/null
}

# A fingerprint of everything the build is made from: the app's files, the config and the locked
# dependencies (and where the server build goes, and that it is the production build).
build_sources_hash() {
  {
    echo "${SERVER_BUILD_PATH:-build/index.js} production"
    find app -type f -print0 | sort -z | xargs -0 sha256sum
    sha256sum remix.config.js tsconfig.json package-lock.json
  } | sha256sum | cut -d' ' -f1
}

# Builds unless the last build was made from the same sources (its fingerprint is kept beside it).
ensure_build() {
  local server_build=${SERVER_BUILD_PATH:-build/index.js} hash
  local stamp
  stamp="$(dirname "$server_build")/.sources-sha256"
  hash=$(build_sources_hash)
  if [ -f "$server_build" ] && [ -d public/build ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
    say "the build is current (sources unchanged)"
    return 0
  fi
  say "building the app"
  # `npm run build` is always the production build: the browser tests load the bundles residents
  # get (minified, React's production build), whatever NODE_ENV the caller runs under (npm test: test).
  npm run -s build >/dev/null 2>&1 || npm run -s build
  echo "$hash" >"$stamp"
}

# Defaults for every variable the scripts need (the processes validate them again at start).
default_env() {
  export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/sanshe}"
  export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
}

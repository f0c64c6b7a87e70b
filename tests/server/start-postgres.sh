#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the server tests and benchmarks and
# prints its URL on stdout (diagnostics go to stderr).
#
#   tests/server/start-postgres.sh [DATA_DIR]     start; DATA_DIR defaults to a new temp dir
#   tests/server/start-postgres.sh --stop DATA_DIR stop it and delete DATA_DIR
#
#   export TEST_DATABASE_URL=$(tests/server/start-postgres.sh)
#
# Environment: PG_BIN (default: the newest /usr/lib/postgresql/*/bin, else PATH),
# PGPORT (default: a free port), PG_DURABLE=1 to keep fsync on (benchmarks of
# durable commits); by default fsync is off, as it is a throwaway cluster.
# PostgreSQL refuses to run as root, so as root the cluster runs as the
# `postgres` user (or PG_RUN_AS).
set -euo pipefail

if [[ -z "${PG_BIN:-}" ]]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -z "$PG_BIN" ]]; then PG_BIN=$(dirname "$(command -v initdb)"); fi
fi

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    local user=${PG_RUN_AS:-postgres}
    if command -v runuser >/dev/null 2>&1; then runuser -u "$user" -- "$@"; else su "$user" -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

if [[ "${1:-}" == "--stop" ]]; then
  dir=${2:?usage: $0 --stop DATA_DIR}
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >&2 || true
  # Delete only what this script made: a folder holding a cluster and its logs.
  if [[ -f "$dir/data/PG_VERSION" ]]; then rm -rf "$dir"; else echo "not removing $dir: no cluster in it" >&2; fi
  exit 0
fi

dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/meridian-pg.XXXXXX")}
mkdir -p "$dir"
if [[ $(id -u) -eq 0 ]]; then chown "${PG_RUN_AS:-postgres}" "$dir"; fi
chmod 700 "$dir"

port=${PGPORT:-$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}

cd "$dir"
as_owner "$PG_BIN/initdb" -D "$dir/data" -U meridian -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
fsync=off
if [[ "${PG_DURABLE:-0}" == "1" ]]; then fsync=on; fi
as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=200 -c shared_buffers=256MB" start >&2 || {
  cat "$dir/postgres.log" >&2
  exit 1
}
echo "PostgreSQL running in $dir on 127.0.0.1:$port; stop it with: $0 --stop $dir" >&2
echo "postgres://meridian@127.0.0.1:$port/postgres"

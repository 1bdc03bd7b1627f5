#!/usr/bin/env bash
# Stops the server of start-postgres.sh (same environment variables). --clean also removes its
# folder (data, TLS files, admin password).
set -euo pipefail
port=${SIGHTLINE_PG_PORT:-54329}
dir=${SIGHTLINE_PG_DIR:-/tmp/sightline-pg-$port}
bin=${SIGHTLINE_PG_BIN:-/usr/lib/postgresql/15/bin}
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ -f "$dir/data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
fi
if [ "${1:-}" = "--clean" ]; then rm -rf "$dir"; fi

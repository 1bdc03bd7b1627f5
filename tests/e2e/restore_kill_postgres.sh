# `sightline restore --replace` killed with SIGKILL part-way, on target-postgres: the tenant keeps
# all its old data (the restore is built in the schema sightline_beside of the tenant's database
# and swapped in by one transaction), and a rerun finishes. The body is restore_kill.bash. Needs
# SIGHTLINE_POSTGRES_DSN (tests/pg/start-postgres.sh); skipped (exit 77) without it.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
if [ -z "${SIGHTLINE_POSTGRES_DSN:-}" ]; then
  echo "skipped: SIGHTLINE_POSTGRES_DSN is not set (eval \"\$(tests/pg/start-postgres.sh)\")"
  exit 77
fi
prefix="slrk$$_"
drop_ours() {
  for db in $(psql -X -At -d "$SIGHTLINE_POSTGRES_DSN" -c "SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%'" 2>/dev/null); do
    psql -X -q -d "$SIGHTLINE_POSTGRES_DSN" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
  for role in $(psql -X -At -d "$SIGHTLINE_POSTGRES_DSN" -c "SELECT rolname FROM pg_roles WHERE rolname LIKE '${prefix}%'" 2>/dev/null); do
    psql -X -q -d "$SIGHTLINE_POSTGRES_DSN" -c "DROP ROLE IF EXISTS \"$role\"" >/dev/null 2>&1 || true
  done
}
trap 'drop_ours; cleanup' EXIT
TARGET=$(printf '  plugin: target-postgres\n  config: {admin_dsn: "%s", database_prefix: "%s"}' \
  "$SIGHTLINE_POSTGRES_DSN" "$prefix") write_profile profile.yaml
sed "s|$WORK/var/archive|$WORK/var/archive-extra|" profile.yaml >extra.yaml
beside_exists() {
  local db
  db=$(psql -X -At -d "$SIGHTLINE_POSTGRES_DSN" -c "SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%demo%'")
  [ "$(psql -X -At -d "$SIGHTLINE_POSTGRES_DSN dbname=$db" -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'sightline_beside'")" == 1 ]
}
export -f beside_exists
export prefix
source "$here/restore_kill.bash"
finish

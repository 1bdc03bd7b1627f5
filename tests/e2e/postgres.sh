# target-postgres through the command line, against real PostgreSQL servers:
#  - a tenant moved from SQLite to PostgreSQL by `restore --into` has the same stats and history;
#  - a load whose connection is killed half-way, and one during which the server restarts, are
#    retried and land exactly once.
# Needs SIGHTLINE_POSTGRES_DSN (tests/pg/start-postgres.sh, as tests/run.sh starts it); skipped
# (exit 77) without it.
source "$(dirname "$0")/common.sh"
if [ -z "${SIGHTLINE_POSTGRES_DSN:-}" ]; then
  echo "skipped: SIGHTLINE_POSTGRES_DSN is not set (eval \"\$(tests/pg/start-postgres.sh)\")"
  exit 77
fi
prefix="sle2e$$_"
admin() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$SIGHTLINE_POSTGRES_DSN" -c "$1"; }
drop_ours() { # drop_ours DSN PREFIX
  local dsn=$1 p=$2
  for db in $(psql -X -At -d "$dsn" -c "SELECT datname FROM pg_database WHERE datname LIKE '${p}%'" 2>/dev/null); do
    psql -X -q -d "$dsn" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
  for role in $(psql -X -At -d "$dsn" -c "SELECT rolname FROM pg_roles WHERE rolname LIKE '${p}%'" 2>/dev/null); do
    psql -X -q -d "$dsn" -c "DROP ROLE IF EXISTS \"$role\"" >/dev/null 2>&1 || true
  done
}
second_server=""
on_exit() {
  drop_ours "$SIGHTLINE_POSTGRES_DSN" "$prefix"
  [ -z "$second_server" ] || SIGHTLINE_PG_PORT=$second_port SIGHTLINE_PG_DIR=$second_dir \
    "$SOURCE_DIR/tests/pg/stop-postgres.sh" --clean >/dev/null 2>&1 || true
  cleanup
}
trap on_exit EXIT

pg_section() { # pg_section DSN PREFIX: a target section's body, two-space indented
  printf '  plugin: target-postgres\n  config: {admin_dsn: "%s", database_prefix: "%s"}' "$1" "$2"
}
write_profile sqlite.yaml
{ echo "targets:"; echo "  pg:"; pg_section "$SIGHTLINE_POSTGRES_DSN" "${prefix}m_" | sed 's/^/  /'; echo; } >>sqlite.yaml
# The same deployment with PostgreSQL as its target.
TARGET=$(pg_section "$SIGHTLINE_POSTGRES_DSN" "${prefix}m_") write_profile pg.yaml

# --- migration: SQLite -> PostgreSQL -------------------------------------------------------
"$SIGHTLINE" generate --rows 4000 --customers 300 --seed 7 --output a.csv
"$SIGHTLINE" generate --rows 3000 --customers 300 --seed 8 --output b.csv
"$SIGHTLINE" generate --catalog --rows 4000 --customers 300 --seed 7 --output catalog.csv
cat >edge.csv <<CSV
order,timestamp,customer,item,price,quantity,s_note
E-1,1969-12-31T23:59:59.999999Z,18446744073709551614,sku-e,0.000001,1,"tab	and ""quote"" and \\back"
E-2,2038-01-19T03:14:08+02:00,9223372036854775808,sku-é,-999999999999.999999,-1,
CSV
"$SIGHTLINE" load --profile sqlite.yaml --tenant demo a.csv b.csv edge.csv catalog.csv >/dev/null
"$SIGHTLINE" delete --profile sqlite.yaml --tenant demo --customers 9223372036854775808 --reason "e2e" >/dev/null
"$SIGHTLINE" load --profile sqlite.yaml --tenant demo --full --reason "full export" b.csv >/dev/null
sed 's/^E-/F-/' edge.csv >edge2.csv  # the same lines under new order ids: new bytes, loaded again
"$SIGHTLINE" load --profile sqlite.yaml --tenant demo edge.csv edge2.csv a.csv >/dev/null
run "$SIGHTLINE" restore --profile sqlite.yaml --tenant demo --into pg --reason migration
expect_eq "restore into PostgreSQL exits 0" 0 "$code"
from=$(stats_json sqlite.yaml demo)
to=$(stats_json pg.yaml demo)
for field in lines customers revenue catalog_items; do
  expect_eq "migrated $field" "$(echo "$from" | json_get "d['$field']")" "$(echo "$to" | json_get "d['$field']")"
done
expect_eq "migrated history" \
  "$(echo "$from" | json_get '[(f["name"], f["result"], f["rows"], f["time"]) for f in d["history"]]')" \
  "$(echo "$to" | json_get '[(f["name"], f["result"], f["rows"], f["time"]) for f in d["history"]]')"
expect_eq "migrated deletions" \
  "$(echo "$from" | json_get '[(x["reason"], x["lines"], x["revenue"]) for x in d["deletions"]]')" \
  "$(echo "$to" | json_get '[(x["reason"], x["lines"], x["revenue"]) for x in d["deletions"]]')"
db="${prefix}m_demo"
expect_eq "strings survive COPY escaping" 'tab	and "quote" and \back' \
  "$(psql -X -At -d "$SIGHTLINE_POSTGRES_DSN dbname=$db" -c "SELECT s_note FROM sales WHERE \"order\" = 'F-1'")"
expect_eq "ids above 2^63 are exact" "18446744073709551614" \
  "$(psql -X -At -d "$SIGHTLINE_POSTGRES_DSN dbname=$db" -c "SELECT customer FROM sales WHERE \"order\" = 'F-1'")"

# --- a load whose connection is killed half-way -----------------------------------------------
"$SIGHTLINE" generate --rows 600000 --customers 20000 --seed 9 --output big.csv
before=$(stats_json pg.yaml demo | json_get 'd["lines"]')
"$SIGHTLINE" load --profile pg.yaml --tenant demo --json big.csv >kill.json 2>kill.err &
pid=$!
killed=""
for _ in $(seq 1 600); do
  killed=$(admin "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db' AND query LIKE 'COPY%'" || true)
  [[ "$killed" == *t* ]] && break
  sleep 0.02
done
set +e; wait "$pid"; load_code=$?; set -e
expect_contains "the load's connection was killed half-way" "t" "$killed"
expect_eq "the killed load still exits 0" 0 "$load_code"
expect_eq "it reports loaded" "loaded" "$(json_get 'd[0]["result"]' <kill.json)"
expect_eq "the lines landed exactly once" $((before + 600000)) "$(stats_json pg.yaml demo | json_get 'd["lines"]')"
check "the log shows the retry" grep -q '"event":"load.retrying"' var/log/sightline.log

# --- a load during which the server restarts --------------------------------------------------
second_port=$((55000 + $$ % 1000))
second_dir="${TMPDIR:-/tmp}/sightline-e2e-pg-$$"  # not under $WORK: the server's user must reach it
second_server=yes
main_dsn=$SIGHTLINE_POSTGRES_DSN
eval "$(SIGHTLINE_PG_PORT=$second_port SIGHTLINE_PG_DIR=$second_dir "$SOURCE_DIR/tests/pg/start-postgres.sh")"
dsn2=$SIGHTLINE_POSTGRES_DSN
SIGHTLINE_POSTGRES_DSN=$main_dsn
if [ "$dsn2" = "$main_dsn" ]; then fail "a second server started"; finish; fi
TARGET=$(pg_section "$dsn2" "r_") write_profile restart.yaml
"$SIGHTLINE" load --profile restart.yaml --tenant demo a.csv >/dev/null
"$SIGHTLINE" load --profile restart.yaml --tenant demo --json big.csv >restart.json 2>restart.err &
pid=$!
for _ in $(seq 1 600); do
  [ "$(psql -X -At -d "$dsn2" -c "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY%'" 2>/dev/null)" = "1" ] && break
  sleep 0.02
done
SIGHTLINE_PG_PORT=$second_port SIGHTLINE_PG_DIR=$second_dir "$SOURCE_DIR/tests/pg/stop-postgres.sh"
SIGHTLINE_PG_PORT=$second_port SIGHTLINE_PG_DIR=$second_dir "$SOURCE_DIR/tests/pg/start-postgres.sh" >/dev/null 2>&1
set +e; wait "$pid"; load_code=$?; set -e
expect_eq "the load across a server restart exits 0" 0 "$load_code"
expect_eq "it reports loaded" "loaded" "$(json_get 'd[0]["result"]' <restart.json)"
expect_eq "the lines landed exactly once" 604000 "$(stats_json restart.yaml demo | json_get 'd["lines"]')"
finish

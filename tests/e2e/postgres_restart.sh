#!/usr/bin/env bash
# PostgreSQL restarted while `sightline serve` runs (issue 15, faults): the request in flight
# gets a clear error (a 5xx, not a hang or a crash), the next request works, and so does a load,
# without restarting serve. Idle pooled tenant stores hold connections the restart killed: the
# pool must notice (TenantStore::alive) and open new ones.
#
# Runs its own PostgreSQL (tests/pg/start-postgres.sh on port 54340 and a private folder; never
# the shared test server) and stops and removes it on exit. Skipped (77) without PostgreSQL's
# binaries. The request in flight is made long on purpose: a psql session holds a lock on the
# tenant's sales table, so the segment count waits inside PostgreSQL when the server goes down.
source "$(dirname "$0")/common.sh"
PG_BIN=${SIGHTLINE_PG_BIN:-/usr/lib/postgresql/15/bin}
for tool in "$PG_BIN/pg_ctl" "$PG_BIN/postgres"; do
  [ -x "$tool" ] || { echo "SKIP: $tool is missing (apt-get install postgresql-15)"; exit 77; }
done
command -v psql >/dev/null && command -v curl >/dev/null || { echo "SKIP: psql and curl are needed"; exit 77; }
export SIGHTLINE_PG_PORT=${SIGHTLINE_PG_RESTART_PORT:-54340}
export SIGHTLINE_PG_DIR=${TMPDIR:-/tmp}/sightline-pg-restart-$$  # outside $WORK: postgres reads it
serve_pid=""
locker_pid=""
on_exit() {
  [ -z "$locker_pid" ] || kill "$locker_pid" 2>/dev/null || true
  [ -z "$serve_pid" ] || { kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; }
  "$SOURCE_DIR/tests/pg/stop-postgres.sh" --clean >/dev/null 2>&1 || true
  cleanup
}
trap on_exit EXIT
eval "$(cd / && "$SOURCE_DIR/tests/pg/start-postgres.sh")"
dsn=$SIGHTLINE_POSTGRES_DSN
restart_pg() {
  (cd / && "$SOURCE_DIR/tests/pg/stop-postgres.sh")
  (cd / && "$SOURCE_DIR/tests/pg/start-postgres.sh" >/dev/null)
}

token_json=$("$SIGHTLINE" api token --name restart-test --tenants demo --json)
TOKEN=$(echo "$token_json" | json_get 'd["token"]')
LOG=$WORK/var/log/sightline.log
cat >profile.yaml <<YAML
version: 1
state_dir: $WORK/var/state
log: {format: json, level: info, file: $LOG}
plugins: {path: [$PLUGIN_DIR]}
archive:
  plugin: archive-fs
  config: {root: $WORK/var/archive}
target:
  plugin: target-postgres
  config: {admin_dsn: "$dsn", database_prefix: "rs_"}
evaluators:
  - plugin: evaluator-sql
tenants:
  - id: demo
api:
  listen: ["127.0.0.1:0"]
  tls: off
  tokens:
    - {name: restart-test, sha256: $(echo "$token_json" | json_get 'd["sha256"]'), tenants: [demo]}
YAML
"$SIGHTLINE" generate --rows 3000 --customers 300 --seed 3 --output a.csv
"$SIGHTLINE" generate --rows 2000 --customers 400 --seed 4 --output b.csv
"$SIGHTLINE" load --profile profile.yaml --tenant demo a.csv >/dev/null

"$SIGHTLINE" serve --profile profile.yaml >serve.out 2>&1 &
serve_pid=$!
address=""
for _ in $(seq 300); do
  address=$(grep -h '"api.listening"' "$LOG" 2>/dev/null | head -1 | json_get 'd["address"]' 2>/dev/null || true)
  [ -n "$address" ] && break
  sleep 0.1
done
[ -n "$address" ] || { cat serve.out; fail "serve did not listen"; finish; exit 1; }
API="http://$address/v1/tenants/demo/segments"
# api GET|PUT PATH [BODY]: the status and the body on one line each.
api() {
  curl -s -m 60 -o body.json -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' ${3:+--data "$3"} "$API$2"
}
expect_eq "a segment is saved" 201 "$(api PUT /everyone '{"id": "everyone", "name": "Everyone",
  "rule": {"purchased": {"within_days": 100000}}}')"
expect_eq "its count is read (the pool now holds an idle store)" 200 "$(api GET /everyone/count)"
before=$(json_get 'd["count"]' <body.json)
check "the count is the customers of a.csv ($before)" test "$before" -gt 0

# The request in flight: the count waits for a lock a psql session holds on the sales table.
db=rs_demo
psql -X -q -d "$dsn dbname=$db" -c "BEGIN; LOCK TABLE sales IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120);" \
  >/dev/null 2>&1 &
locker_pid=$!
for _ in $(seq 200); do
  [ "$(psql -X -At -d "$dsn" -c "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND granted AND relation IS NOT NULL" 2>/dev/null)" -ge 1 ] && break
  sleep 0.05
done
start=$(date +%s)
# At an instant no earlier request asked about: within the same second as the count above, the
# result cache would answer without reading the locked table.
earlier=$(date -u -d '1 hour ago' +%Y-%m-%dT%H:%M:%SZ)
api GET "/everyone/count?as_of=$earlier" >inflight.status &
inflight_pid=$!
waiting=0
for _ in $(seq 200); do
  waiting=$(psql -X -At -d "$dsn" -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'" 2>/dev/null || echo 0)
  [ "$waiting" -ge 1 ] && break
  sleep 0.05
done
expect_eq "the count is waiting inside PostgreSQL" 1 "$waiting"
restart_pg
wait "$inflight_pid" || true
locker_pid=""
status=$(cat inflight.status)
check "the request in flight got a 5xx ($status, after $(( $(date +%s) - start )) s): $(cat body.json 2>/dev/null | head -c 300)" \
  test "${status:0:1}" = 5
check "serve is still running" kill -0 "$serve_pid"

# The next requests reach the restarted server without restarting serve.
expect_eq "the next count works" 200 "$(api GET /everyone/count)"
expect_eq "and gives the same number" "$before" "$(json_get 'd["count"]' <body.json)"
restart_pg  # once more, with only idle stores in the pool
expect_eq "a count after a restart with only idle stores works" 200 "$(api GET /everyone/count)"
run "$SIGHTLINE" load --profile profile.yaml --tenant demo b.csv
expect_eq "a load after the restart works: $out" 0 "$code"
expect_eq "the count after the load" 200 "$(api GET /everyone/count)"
after=$(json_get 'd["count"]' <body.json)
check "the count grew with the load ($before -> $after)" test "$after" -gt "$before"
check "serve never stopped" kill -0 "$serve_pid"
finish

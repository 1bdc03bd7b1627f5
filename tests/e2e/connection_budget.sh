# One budget of target connections for the whole `serve` process (issue 13): 300 tenants on a
# PostgreSQL server started with max_connections 100, and for every tenant a load (intake-dir), a
# segment evaluation (the preview endpoint, 16 at once) and the metrics gauges (the scheduler
# counts every tenant's lines at start), all running at the same time. Everything succeeds, and
# the server never sees more connections from serve than target_connections.max (sampled from
# pg_stat_activity every 20 ms). Before the budget, idle stores piled up per tenant until
# PostgreSQL refused new connections.
# A private server (not the shared one: other tests use that one in parallel, with another
# max_connections). Needs SIGHTLINE_POSTGRES_DSN like the other PostgreSQL tests (the binaries are
# there then); skipped (exit 77) without it. BUDGET overrides the budget (BUDGET=10000 shows what
# happens without one).
source "$(dirname "$0")/common.sh"
if [ -z "${SIGHTLINE_POSTGRES_DSN:-}" ]; then
  echo "skipped: SIGHTLINE_POSTGRES_DSN is not set (eval \"\$(tests/pg/start-postgres.sh)\")"
  exit 77
fi
budget=${BUDGET:-20}
tenants=300
started=$(date +%s)
phase() { echo "[$(($(date +%s) - started)) s] $*"; }

port=$((56000 + $$ % 1000))
pgdir="${TMPDIR:-/tmp}/sightline-e2e-budget-$$"  # not under $WORK: the server's user must reach it
serve_pid=""
sampler_pid=""
on_exit() {
  [ -z "$sampler_pid" ] || kill "$sampler_pid" 2>/dev/null || true
  [ -z "$serve_pid" ] || kill "$serve_pid" 2>/dev/null || true
  SIGHTLINE_PG_PORT=$port SIGHTLINE_PG_DIR=$pgdir "$SOURCE_DIR/tests/pg/stop-postgres.sh" --clean \
    >/dev/null 2>&1 || true
  cleanup
}
trap on_exit EXIT
eval "$(SIGHTLINE_PG_PORT=$port SIGHTLINE_PG_DIR=$pgdir SIGHTLINE_PG_MAX_CONNECTIONS=100 \
  "$SOURCE_DIR/tests/pg/start-postgres.sh" 2>/dev/null)"
dsn=$SIGHTLINE_POSTGRES_DSN
expect_eq "the private server allows 100 connections" 100 \
  "$(psql -X -At -d "$dsn" -c 'SHOW max_connections')"

token=budget-test-token
cat >profile.yaml <<YAML
version: 1
state_dir: $WORK/var/state
log: {format: json, level: info, file: $WORK/var/log/sightline.log}
archive: {plugin: archive-fs, config: {root: $WORK/var/archive}}
target:
  plugin: target-postgres
  config: {admin_dsn: "$dsn", database_prefix: "b_"}
target_connections: {max: $budget, wait_ms: 30000}
transports:
  - plugin: intake-dir
    config: {root: $WORK/var/landing, poll_interval_ms: 100}
evaluators:
  - plugin: evaluator-sql
api:
  listen: ["127.0.0.1:0"]
  tls: off
  threads: 16
  tokens:
    - {name: test, sha256: $(printf '%s' "$token" | sha256sum | cut -c1-64), tenants: ["*"]}
tenants:
YAML
ids=()
for i in $(seq -f '%03g' 0 $((tenants - 1))); do ids+=("t$i"); echo "  - id: t$i" >>profile.yaml; done
check "the profile is valid" "$SIGHTLINE" profile check profile.yaml

# Every tenant's upload is waiting when serve starts.
"$SIGHTLINE" generate --rows 40 --customers 10 --seed 5 --output sales.csv
for t in "${ids[@]}"; do mkdir -p "var/landing/$t" && cp sales.csv "var/landing/$t/sales.csv"; done

# The sampler: one psql session counting serve's sessions (target-postgres names itself in
# application_name; nothing else of sightline talks to this server while serve runs).
echo "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sightline-target-postgres' \\watch 0.02" |
  psql -X -At -d "$dsn" >samples.txt 2>sampler.err &
sampler_pid=$!

"$SIGHTLINE" serve --profile profile.yaml >serve.out 2>&1 &
serve_pid=$!
api=""
for _ in $(seq 1 200); do
  api=$(grep '"event":"api.listening"' var/log/sightline.log 2>/dev/null | grep -o '127.0.0.1:[0-9]*' | tail -1 || true)
  [ -n "$api" ] && break
  sleep 0.05
done
check "serve listens" test -n "$api"
phase "serve started"

# A segment evaluation for every tenant, 16 at once, while the loads and the gauges run.
preview='{"definition": {"id": "active", "name": "Active", "rule": {"lifecycle": "active"}}}'
printf '%s\n' "${ids[@]}" |
  xargs -P 16 -I{} curl -s -o /dev/null -w '{} %{http_code}\n' -X POST \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data "$preview" "http://$api/v1/tenants/{}/segments:preview" >previews.txt
expect_eq "all $tenants previews answered 200" "$tenants" "$(grep -c ' 200$' previews.txt || true)"
phase "previews done"

# Every load, then every tenant's gauge.
for _ in $(seq 1 1200); do
  done_loads=$(grep -c '"event":"load.finished"' var/log/sightline.log || true)
  [ "$done_loads" -ge "$tenants" ] && break
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 0.1
done
expect_eq "all $tenants loads finished" "$tenants" "$done_loads"
phase "loads done"
for _ in $(seq 1 1200); do
  curl -s "http://$api/metrics" >metrics.txt || true
  gauges=$(grep -c '^sightline_tenant_lines{' metrics.txt || true)
  [ "$gauges" -ge "$tenants" ] && break
  sleep 0.1
done
expect_eq "the metrics have every tenant's lines" "$tenants" "$gauges"
phase "gauges done"
check "no load failed or was retried" bash -c \
  "! grep -qE '\"event\":\"(load.failed|load.retrying|metrics.volume_failed|api.error)\"' var/log/sightline.log"

kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=""
samples=$(grep -c '^[0-9]' samples.txt || true)
max_seen=$(sort -n samples.txt | tail -1)
echo "connections from serve: max $max_seen over $samples samples (budget $budget)"
check "the sampler saw serve's connections ($samples samples, max $max_seen)" \
  test "$samples" -gt 50 -a "${max_seen:-0}" -gt 0
check "serve never held more than the budget: max $max_seen <= $budget" \
  test "${max_seen:-999}" -le "$budget"

kill -TERM "$serve_pid"
set +e
wait "$serve_pid"
code=$?
set -e
serve_pid=""
expect_eq "serve exits 0" 0 "$code"
# After serve: the data is there (one tenant is enough; the load events counted the rest).
expect_eq "a tenant's lines landed" 40 "$(stats_json profile.yaml t150 | json_get 'd["lines"]')"
expect_eq "one database per tenant" "$tenants" \
  "$(psql -X -At -d "$dsn" -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'b\\_t%'")"
phase "done"
finish

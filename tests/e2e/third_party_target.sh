# A third party's target of a dialect the host has never heard of (tests/third-party-target:
# target-thirdparty, dialect "memdb", plugin API 1.5, no SQL): `sightline load` in one process,
# `sightline serve` in another see the same data; /readyz passes through TenantStore::check();
# a segment's count over HTTP (evaluator-columnar, the profile's first) equals evaluator-memory's
# from the command line; `sightline report summary` answers, the same JSON from both evaluators.
source "$(dirname "$0")/common.sh"
THIRD_PARTY="$BUILD_DIR/test-plugins/third-party"
if [ ! -f "$THIRD_PARTY/sightline-target-thirdparty.so" ]; then
  echo "SKIP: $THIRD_PARTY/sightline-target-thirdparty.so is not built"
  exit 77
fi
export SIGHTLINE_PLUGIN_PATH="$THIRD_PARTY"
cp "$SOURCE_DIR/tests/third-party-target/profile.yaml" profile.yaml
sl() { "$SIGHTLINE" "$@"; }
TOKEN=third-party-token

run sl profile check --profile profile.yaml
expect_eq "the profile with the third-party target checks" 0 "$code"
[ "$code" -eq 0 ] || echo "$out"

# --- load in one process ----------------------------------------------------------------------
sl generate --rows 3000 --customers 200 --seed 7 --output sales.csv
sl generate --rows 3000 --customers 200 --seed 7 --catalog --output catalog.csv
run sl load --profile profile.yaml --tenant demo sales.csv
expect_eq "sightline load into the memdb target exits 0" 0 "$code"
run sl load --profile profile.yaml --tenant demo catalog.csv
expect_eq "the catalog loads too" 0 "$code"
expect_eq "tenant stats reads the lines back" 3000 \
  "$(stats_json profile.yaml demo | json_get 'd["lines"]')"
check "the data is in the plugin's own file" test -s var/memdb/demo.log

# --- serve in another ---------------------------------------------------------------------------
sl serve --profile profile.yaml >serve.out 2>&1 &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null || true; cleanup' EXIT
port=""
for _ in $(seq 1 200); do
  port=$(grep '"event":"api.listening"' var/log/sightline.log 2>/dev/null | grep -o '127.0.0.1:[0-9]*' | tail -1 | cut -d: -f2 || true)
  [ -n "$port" ] && break
  sleep 0.05
done
check "serve listens" test -n "$port"
get() { curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port$1"; }

ready=$(curl -s -o ready.json -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/readyz")
expect_eq "/readyz answers 200 for a target of an unknown dialect" 200 "$ready"
expect_eq "and says ready" "ready" "$(json_get 'd["status"]' <ready.json)"
expect_eq "the target check passed" "True" \
  "$(json_get '[c["ok"] for c in d["checks"] if c["name"]=="target"][0]' <ready.json)"

# --- segments: evaluator-columnar over HTTP, evaluator-memory on the command line ------------------
AS_OF=2026-12-01T00:00:00Z
cat >spenders.json <<'JSON'
{"id":"spenders","name":"Spenders","rule":{"all":[{"revenue":{"within_days":1500,"min":300}},{"not":{"purchased":{"within_days":30}}}]}}
JSON
run sl segment put --profile profile.yaml --tenant demo --file spenders.json --reason "e2e"
expect_eq "segment put exits 0" 0 "$code"
oracle=$(sl segment eval --profile profile.yaml --tenant demo --id spenders --as-of $AS_OF --count \
  --evaluator evaluator-memory 2>&1 || true)
check "evaluator-memory counts some customers, not all" test "${oracle:-0}" -gt 0 -a "${oracle:-0}" -lt 200 2>/dev/null
count_json=$(get "/v1/tenants/demo/segments/spenders/count?as_of=$AS_OF")
expect_eq "the HTTP count equals evaluator-memory's" "$oracle" \
  "$(echo "$count_json" | json_get 'd["count"]' 2>/dev/null || echo "$count_json")"
expect_eq "the HTTP count came from evaluator-columnar" "evaluator-columnar" \
  "$(echo "$count_json" | json_get 'd["evaluator"]' 2>/dev/null || echo "$count_json")"

# A load by another process while serve runs: the next answer has the new data.
sl generate --rows 500 --customers 400 --seed 8 --output more.csv
sl load --profile profile.yaml --tenant demo more.csv >/dev/null 2>&1 || fail "the second load"
oracle2=$(sl segment eval --profile profile.yaml --tenant demo --id spenders --as-of $AS_OF --count \
  --evaluator evaluator-memory 2>&1 || true)
count_json=$(get "/v1/tenants/demo/segments/spenders/count?as_of=$AS_OF")
expect_eq "after another process's load, the HTTP count is the new data's" "$oracle2" \
  "$(echo "$count_json" | json_get 'd["count"]' 2>/dev/null || echo "$count_json")"

# --- reports --------------------------------------------------------------------------------------
run sl report summary --profile profile.yaml --tenant demo --from 2023-01-01 --to 2026-11-30 --by month --json
expect_eq "report summary exits 0" 0 "$code"
expect_eq "it is the summary report" "summary" "$(echo "$out" | json_get 'd["report"]' 2>/dev/null || echo "$out")"
summary_default=$out
run sl report summary --profile profile.yaml --tenant demo --from 2023-01-01 --to 2026-11-30 --by month --json \
  --evaluator evaluator-memory
expect_eq "report summary with evaluator-memory exits 0" 0 "$code"
if [ "$out" == "$summary_default" ]; then pass "evaluator-memory gives the same summary, byte for byte"
else fail "evaluator-memory's summary differs: ${out:0:300}"; fi

kill -TERM $serve_pid
wait $serve_pid || true
finish

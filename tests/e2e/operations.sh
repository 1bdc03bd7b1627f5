# Service behaviour (docs/operations.md): SIGHUP reloads tenants, API tokens and operators
# without a restart and without dropping anything; a profile with errors changes nothing; a
# plugin change waits for a restart and the log says so. Operators are disabled at once, and
# data-changing commands need --reason. The systemd unit passes systemd's own checks.
source "$(dirname "$0")/common.sh"
write_profile profile.yaml
hash() { printf '%s\n' "$1" | "$SIGHTLINE" operator passwd --name "$2" --json | json_get 'd["password_hash"]'; }
ana_hash=$(hash "ana's long password" ana)
cat >>profile.yaml <<YAML
api:
  listen: ["127.0.0.1:0"]
  tls: off
  tokens:
    - {name: one, sha256: $(printf 'token-one' | sha256sum | cut -c1-64), tenants: [demo]}
operators:
  - {name: ana, password: "$ana_hash"}
YAML
check "the profile is valid" "$SIGHTLINE" profile check --profile profile.yaml

# --- operators ---------------------------------------------------------------------------
run "$SIGHTLINE" operator list --profile profile.yaml --json
expect_eq "ana is active" True "$(echo "$out" | json_get 'd[0]["active"]')"
run "$SIGHTLINE" operator disable ana --profile profile.yaml
expect_eq "disable without --reason is a usage error" 2 "$code"
run "$SIGHTLINE" operator disable ana --profile profile.yaml --reason "left the team"
expect_eq "disable exits 0" 0 "$code"
run "$SIGHTLINE" operator list --profile profile.yaml --json
expect_eq "ana is disabled" False "$(echo "$out" | json_get 'd[0]["active"]')"
check "the disabling is in the log with who and why" \
  grep -q '"event":"operator.disabled".*"reason":"left the team"' var/log/sightline.log
run "$SIGHTLINE" operator enable ana --profile profile.yaml --reason "came back"
run "$SIGHTLINE" operator list --profile profile.yaml --json
expect_eq "ana is active again" True "$(echo "$out" | json_get 'd[0]["active"]')"
run "$SIGHTLINE" operator disable nobody --profile profile.yaml --reason x
expect_eq "an unknown operator is refused" 1 "$code"

# --- changes need a reason ---------------------------------------------------------------
printf 'order,timestamp,customer,item,price\nA,2026-01-01,1,x,2\n' >a.csv
run "$SIGHTLINE" load --profile profile.yaml --tenant demo --full a.csv
expect_eq "a full upload without --reason is a usage error" 2 "$code"
run "$SIGHTLINE" load --profile profile.yaml --tenant demo --full --reason "monthly export" a.csv
expect_eq "a full upload with --reason loads" 0 "$code"
check "the load names the operator and the reason" \
  grep -q '"event":"load.started".*"operator":"'"$(id -un)"'".*"reason":"monthly export"' var/log/sightline.log
run "$SIGHTLINE" restore --profile profile.yaml --tenant demo --replace
expect_eq "a restore without --reason is a usage error" 2 "$code"

# --- SIGHUP ------------------------------------------------------------------------------
"$SIGHTLINE" serve --profile profile.yaml >serve.out 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; cleanup' EXIT
port=""
for _ in $(seq 1 100); do
  port=$(grep '"event":"api.listening"' var/log/sightline.log 2>/dev/null | grep -o '127.0.0.1:[0-9]*' | tail -1 | cut -d: -f2 || true)
  [ -n "$port" ] && break
  sleep 0.05
done
check "serve listens" test -n "$port"
status() { # status TOKEN PATH
  curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "http://127.0.0.1:$port$2"
}
expect_eq "token one reaches demo" 200 "$(status token-one /v1/tenants/demo/segments)"
expect_eq "token two is not known yet" 401 "$(status token-two /v1/tenants/demo/segments)"

# A new tenant and a new token, as an operator would add them.
python3 - profile.yaml "$(printf 'token-two' | sha256sum | cut -c1-64)" <<'PY'
import sys
path, digest = sys.argv[1], sys.argv[2]
text = open(path).read()
text = text.replace("  - id: other\n", "  - id: other\n  - id: newco\n")
text = text.replace("tenants: [demo]}\n", "tenants: [demo]}\n    - {name: two, sha256: %s, tenants: [newco]}\n" % digest)
open(path, "w").write(text)
PY
kill -HUP "$pid"
for _ in $(seq 1 100); do grep -q '"event":"serve.reloaded"' var/log/sightline.log && break; sleep 0.05; done
check "the reload is logged" grep -q '"event":"serve.reloaded"' var/log/sightline.log
expect_eq "token two works after SIGHUP" 200 "$(status token-two /v1/tenants/newco/segments)"
expect_eq "token two reaches only its tenant" 403 "$(status token-two /v1/tenants/demo/segments)"
mkdir -p var/landing/newco
printf 'order,timestamp,customer,item,price\nN,2026-01-02,5,y,7\n' >var/landing/newco/.n.csv
mv var/landing/newco/.n.csv var/landing/newco/n.csv
for _ in $(seq 1 200); do [ ! -e var/landing/newco/n.csv ] && break; sleep 0.05; done
expect_eq "the new tenant's upload is loaded" 1 \
  "$(stats_json profile.yaml newco | json_get 'd["lines"]')"

# A broken profile changes nothing.
cp profile.yaml good.yaml
echo "tenantz: []" >>profile.yaml
kill -HUP "$pid"
for _ in $(seq 1 100); do grep -q '"event":"serve.reload_failed"' var/log/sightline.log && break; sleep 0.05; done
check "a broken profile is refused on reload, naming the error" \
  grep -q '"errors":"[^"]*tenantz.*"event":"serve.reload_failed"' var/log/sightline.log
expect_eq "the old settings stay" 200 "$(status token-two /v1/tenants/newco/segments)"

# A plugin setting that only applies at start: the log says a restart is needed.
cp good.yaml profile.yaml
sed -i 's/poll_interval_ms: 50/poll_interval_ms: 60/' profile.yaml
kill -HUP "$pid"
for _ in $(seq 1 100); do grep -q '"event":"serve.restart_needed"' var/log/sightline.log && break; sleep 0.05; done
check "a plugin change needs a restart, and the log says so" \
  grep -q '"event":"serve.restart_needed".*transports\[0\]' var/log/sightline.log
kill -TERM "$pid"
set +e
wait "$pid"
code=$?
set -e
expect_eq "serve exits 0 after the reloads" 0 "$code"

# --- the systemd unit ---------------------------------------------------------------------
if command -v systemd-analyze >/dev/null; then
  mkdir unit
  sed 's|/usr/bin/sightline|/bin/true|g' "$SOURCE_DIR/host/systemd/sightline@.service" >"unit/sightline@.service"
  run systemd-analyze security --offline=yes --threshold=30 "unit/sightline@.service"  # 3.0
  expect_eq "the unit's exposure is at most 3.0 (systemd-analyze security)" 0 "$code"
  if [[ "$out" == *"Unknown key"* || "$out" == *"Invalid"* ]]; then fail "the unit has unknown keys: $out"; else pass "the unit has no unknown keys"; fi
else
  echo "skip the systemd unit check: systemd-analyze is not installed"
fi
finish

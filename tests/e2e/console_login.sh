#!/usr/bin/env bash
# The console's login guards against the real `sightline serve` over real HTTP (docs/console.md,
# "Failed logins"): parallel wrong passwords from one address are verified no more often than
# the throttle allows (the check and the count are one step); failures of one operator from
# several addresses lock it, even against the right password, except from an address it logged
# in from before; a failed login's name is logged only when it is an operator's, so a password
# typed as the name never reaches the log.
source "$(dirname "$0")/common.sh"

OPERATOR=olga
PASSWORD=console-login-password-9
SECRET_NAME='Hunter2-Tr0ub4dor-secret'

hash=$(printf '%s\n' "$PASSWORD" | "$SIGHTLINE" operator passwd --name "$OPERATOR" --json |
  json_get 'd["password_hash"]')
expect_contains "operator passwd makes hashes at the new cost" '$scrypt$ln=14,r=8,p=5$' "$hash"
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
  plugin: target-sqlite
  config: {dir: $WORK/var/db}
evaluators:
  - plugin: evaluator-sql
tenants:
  - id: demo
api:
  listen: ["127.0.0.1:0"]
  tls: off
  threads: 16
operators:
  - name: $OPERATOR
    password: "$hash"
YAML

"$SIGHTLINE" serve --profile profile.yaml >serve.out 2>&1 &
serve_pid=$!
stop_serve() { kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true; cleanup; }
trap stop_serve EXIT
address=""
for _ in $(seq 300); do
  address=$(grep -h '"api.listening"' "$LOG" 2>/dev/null | head -1 | json_get 'd["address"]' 2>/dev/null || true)
  [ -n "$address" ] && break
  sleep 0.1
done
[ -n "$address" ] || { cat serve.out; fail "serve did not listen"; finish; exit 1; }
port=${address##*:}

# login FROM NAME PASSWORD: prints the HTTP status of POST /console/login from that address.
login() {
  curl -s -o /dev/null -w '%{http_code}' --interface "$1" -X POST \
    -H 'Content-Type: application/json' -H 'X-Requested-With: sightline-console' \
    --data "{\"name\": \"$2\", \"password\": \"$3\"}" "http://127.0.0.1:$port/console/login"
}
count_events() { # count_events EVENT [NEEDLE]
  grep "\"event\":\"$1\"" "$LOG" | grep -c -- "${2:-}" || true
}

# An address where olga logs in: trusted for her from now on.
expect_eq "olga logs in from 127.0.0.9" 200 "$(login 127.0.0.9 "$OPERATOR" "$PASSWORD")"

# 1. 24 wrong passwords at once from one address, on 16 worker threads.
for i in $(seq 24); do
  echo "$(login 127.0.0.1 "$OPERATOR" "wrong-$i")" >"race.$i" &
done
wait $(jobs -p | grep -v "^$serve_pid$") 2>/dev/null || true
verified=$(cat race.* | grep -c 401 || true)
throttled=$(cat race.* | grep -c 429 || true)
expect_eq "24 parallel wrong passwords: 3 verified (2 free failures + 1), the rest 429" \
  "3 21" "$verified $throttled"
expect_eq "the log has as many failed logins as were verified" 3 \
  "$(count_events console.login_failed '"name":"olga"')"

# 2. Two more failures from other addresses make five for olga: she is locked.
expect_eq "a wrong password from 127.0.0.2" 401 "$(login 127.0.0.2 "$OPERATOR" wrong-a)"
expect_eq "a wrong password from 127.0.0.3 (the fifth)" 401 "$(login 127.0.0.3 "$OPERATOR" wrong-b)"
expect_eq "the lock is logged with its length" 1 \
  "$(count_events console.operator_locked '"seconds":"60"')"
expect_eq "while locked, the right password from a new address is refused like a wrong one" 401 \
  "$(login 127.0.0.4 "$OPERATOR" "$PASSWORD")"
expect_eq "... and logged as refused for the lock" 1 \
  "$(count_events console.login_failed '"reason":"operator locked"')"
expect_eq "the address olga logged in from before still works during the lock" 200 \
  "$(login 127.0.0.9 "$OPERATOR" "$PASSWORD")"

# 3. A password typed as the name never reaches the log.
expect_eq "a login with a password-like name fails" 401 \
  "$(login 127.0.0.5 "$SECRET_NAME" "$PASSWORD")"
check "the name that is no operator is not in the log" bash -c "! grep -q -- '$SECRET_NAME' '$LOG' serve.out"
expect_eq "it is logged as an unknown operator with a short tag" 1 \
  "$(grep '"event":"console.login_failed"' "$LOG" | grep '"name":"unknown operator"' |
    grep -c '"name_tag":"[0-9a-f]\{12\}"' || true)"
check "no password is in the log" bash -c "! grep -q -e '$PASSWORD' -e wrong-a '$LOG' serve.out"

finish

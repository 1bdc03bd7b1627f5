# The FTPS intake's review findings, through `sightline serve` and a real client (Python's
# ftplib over TLS, plugins/intake-ftps/tests/ftps_e2e.py):
# - a ban reaches sessions opened before it: their next PASS is refused with 421, even with the
#   right password, and no password is verified;
# - limits.max_sessions_per_account: a login beyond it is refused with 421, logged; reloadable;
# - a failed login with a user name that names no account does not log the name typed;
# - status notes count toward the tenant's quota (files): once notes fill it, uploads are
#   refused with 552; deleting a note makes room.
source "$(dirname "$0")/common.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
CLIENT="$SOURCE_DIR/plugins/intake-ftps/tests/ftps_e2e.py"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
PASV_LOW=$((20000 + RANDOM % 20000))
PASSWORD='demo-upload-password-1'
demo_hash=$(echo "$PASSWORD" | "$SIGHTLINE" tenant passwd --user demo-upload --tenant demo --json | json_get 'd["password_hash"]')

write_ftps_profile() { # write_ftps_profile MAX_SESSIONS
  cat >profile.yaml <<YAML
version: 1
state_dir: $WORK/var/state
log: {format: json, level: info, file: $WORK/var/log/sightline.log}
archive:
  plugin: archive-fs
  config: {root: $WORK/var/archive}
target:
  plugin: target-sqlite
  config: {dir: $WORK/var/db}
transports:
  - plugin: intake-ftps
    config:
      listen: "127.0.0.1:$PORT"
      passive_ports: "$PASV_LOW-$((PASV_LOW + 40))"
      certificate: $WORK/var/tls/cert.pem
      private_key: $WORK/var/tls/key.pem
      self_signed: true
      landing: $WORK/var/ftps
      quota: {max_files: 3}
      accounts:
        - {user: demo-upload, tenant: demo, password: "$demo_hash"}
      limits:
        login_delay_ms: 0
        ban_failures: 4
        max_per_address: 20
        max_sessions_per_account: $1
tenants:
  - id: demo
YAML
}
write_ftps_profile 2
"$SIGHTLINE" profile check profile.yaml >/dev/null
"$SIGHTLINE" serve --profile profile.yaml >serve.out 2>&1 &
pid=$!
stop_serve() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap 'stop_serve; cleanup' EXIT
for _ in $(seq 1 200); do
  python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$PORT),0.2)" 2>/dev/null && break
  sleep 0.05
done
LOG=var/log/sightline.log
client() { run python3 "$CLIENT" 127.0.0.1 "$PORT" "$@"; }
count_events() { grep -c "\"event\":\"$1\"" "$LOG" || true; }

# Sessions per account (before any ban: the ban would refuse them).
client account_cap demo-upload "$PASSWORD" 3
expect_contains "the first session logs in" "session 1: 230" "$out"
expect_contains "the second session logs in" "session 2: 230" "$out"
expect_contains "a third session of the account is refused with 421" "session 3: 421 Too many sessions for this account (at most 2)" "$out"
expect_contains "once one session quit, a login works again" "after one quit: 230" "$out"
check "the refusal is logged" grep -q '"event":"intake_ftps.too_many_sessions".*"max_sessions_per_account":"2"' "$LOG"
# Reloadable: a higher limit applies to the next login.
write_ftps_profile 3
kill -HUP "$pid"
for _ in $(seq 1 100); do [ "$(count_events intake_ftps.reconfigured)" -ge 1 ] && break; sleep 0.05; done
client account_cap demo-upload "$PASSWORD" 3
expect_contains "after a reload to 3, a third session logs in" "session 3: 230" "$out"
write_ftps_profile 2
kill -HUP "$pid"
for _ in $(seq 1 100); do [ "$(count_events intake_ftps.reconfigured)" -ge 2 ] && break; sleep 0.05; done

# A user name that is really a password: never in the log. (Three failures; the successful
# logins after them clear the count before the ban test at the end.)
SECRET_NAME='Tr0ub4dor-and-3-horses'
client login "$SECRET_NAME" whatever
expect_contains "an unknown user is refused" "login: 530" "$out"
client login demo-upload wrong-password-for-a-known-user
expect_contains "a wrong password is refused" "login: 530" "$out"
sleep 0.2
check "the user name typed is not in the log" bash -c "! grep -q -e '$SECRET_NAME' $LOG"
check "the failure is logged as an unknown user with a tag" \
  grep -q '"event":"intake_ftps.login_failed".*"user_tag":"[0-9a-f]\{8\}".*"user_unknown":"true"' "$LOG"
check "a known account's failure names the account" \
  grep -q '"event":"intake_ftps.login_failed".*"user":"demo-upload"' "$LOG"
client login "$SECRET_NAME" whatever
tags=$( (grep '"user_unknown":"true"' "$LOG" || true) | sed 's/.*"user_tag":"\([0-9a-f]*\)".*/\1/' | sort -u | wc -l)
expect_eq "the same name typed twice gives the same tag (attempts can be correlated)" 1 "$tags"

# Status notes count toward the quota of 3 files.
for i in 1 2 3; do
  "$SIGHTLINE" generate --rows 20 --customers 5 --seed $i --output "n$i.csv"
  client upload demo-upload "$PASSWORD" "n$i.csv" "n$i.csv"
  expect_contains "upload $i is accepted" "upload: 226" "$out"
done
notes() { find var/ftps/demo/status -type f | wc -l; }
for _ in $(seq 1 200); do [ "$(notes)" -ge 3 ] && [ -z "$(find var/ftps/demo -maxdepth 1 -type f)" ] && break; sleep 0.05; done
expect_eq "three uploads processed: three notes, no upload pending" 3 "$(notes)"
"$SIGHTLINE" generate --rows 20 --customers 5 --seed 4 --output n4.csv
client upload demo-upload "$PASSWORD" n4.csv n4.csv
expect_contains "with the quota filled by notes, an upload is refused with 552" "upload: 552 Quota exceeded" "$out"
note=$(find var/ftps/demo/status -type f -printf '%f\n' | sort | head -1)
client delete demo-upload "$PASSWORD" "status/$note"
expect_contains "the tenant deletes a status note it has read" "delete: 250" "$out"
client upload demo-upload "$PASSWORD" n4.csv n4.csv
expect_contains "then the upload is accepted" "upload: 226" "$out"

# Last, since it bans 127.0.0.1: the ban reaches sessions opened before it.
failed_before=$(count_events intake_ftps.login_failed)
client ban_open_sessions demo-upload "$PASSWORD"
expect_contains "the fourth failure bans the address" "attacker failure 4: 421" "$out"
expect_contains "a session opened before the ban is refused even with the right password" \
  "early session, right password: 421 Too many failed logins" "$out"
expect_contains "another early session cannot guess either" "early session, wrong password: 421" "$out"
sleep 0.2
expect_eq "no failure recorded (no password verified) after the ban" 4 \
  "$(( $(count_events intake_ftps.login_failed) - failed_before ))"
check "the sessions closed by the ban are logged" grep -q '"event":"intake_ftps.banned_session_closed"' "$LOG"
check "no password in the log" bash -c "! grep -q -e '$PASSWORD' $LOG"
stop_serve
trap cleanup EXIT
finish

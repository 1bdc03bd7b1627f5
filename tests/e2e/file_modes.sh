# State is private however the caller's shell is set up (issue 13). Run the README's way, with
# the usual umask 022 and no systemd unit (whose UMask=0077 would hide a mistake), every file
# that sightline creates for state or secrets is 0600 and every such folder 0700; a landing
# folder that other accounts must write into gets the mode its profile sets, and no more.
source "$(dirname "$0")/common.sh"
umask 022
write_profile profile.yaml
sed -i 's|poll_interval_ms: 50}|poll_interval_ms: 50, landing_mode: "2770"}|' profile.yaml
hash=$(printf 'a long operator password\n' | "$SIGHTLINE" operator passwd --name ana --json | json_get 'd["password_hash"]')
printf 'operators:\n  - {name: ana, password: "%s"}\n' "$hash" >>profile.yaml
check "the profile is valid" "$SIGHTLINE" profile check profile.yaml

cat >good.csv <<'CSV'
order,timestamp,customer,item,price
A-1,2026-10-01T10:00:00Z,987650001,sock,600
CSV
printf '{"id":"vip","name":"VIP","rule":{"revenue":{"within_days":3650,"min":500}}}\n' >vip.json
check "serve drains once" "$SIGHTLINE" serve --profile profile.yaml --drain
check "a load" "$SIGHTLINE" load --profile profile.yaml --tenant demo good.csv
check "a segment" "$SIGHTLINE" segment put --profile profile.yaml --tenant demo --file vip.json --reason first
check "an operator disabled" "$SIGHTLINE" operator disable ana --profile profile.yaml --reason left

# SQLite's journal beside a database stays while another connection is open: hold one open and
# write again, so the -wal and -shm files are there to be looked at.
SEGMENTS=var/state/segments/demo.sqlite
python3 -c 'import sqlite3,sys,time
c = sqlite3.connect(sys.argv[1]); c.execute("SELECT count(*) FROM sqlite_master").fetchall()
print("open", flush=True); time.sleep(60)' "$SEGMENTS" >holder.out 2>&1 &
holder=$!
for _ in $(seq 50); do [ -s holder.out ] && break; sleep 0.1; done
sed -i 's/"min":500/"min":400/' vip.json
check "a second version" "$SIGHTLINE" segment put --profile profile.yaml --tenant demo --file vip.json --reason second

mode() { stat -c %a "$1"; }
for f in var/state/jobs.sqlite "$SEGMENTS" "$SEGMENTS-wal" "$SEGMENTS-shm" \
         var/state/audit/audit.jsonl var/state/operators/disabled.json var/db/demo.sqlite \
         var/log/sightline.log; do
  expect_eq "$f is 0600" 600 "$( [ -e "$f" ] && mode "$f" || echo missing)"
done
for d in var/state var/state/segments var/state/audit var/state/operators \
         var/db var/archive var/log; do
  expect_eq "$d/ is 0700" 700 "$( [ -d "$d" ] && mode "$d" || echo missing)"
done
# Nothing else under the state, the databases, the archive or the log is open to others.
expect_eq "no state file or folder is readable by group or others" "" \
  "$(find var/state var/db var/archive var/log -perm /077 -printf '%m %p\n')"
# The landing is the one place other accounts write to: exactly the profile's mode.
for d in var/landing var/landing/demo var/landing/demo/full; do
  expect_eq "$d/ has the profile's landing_mode" 2770 "$(mode "$d")"
done
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true

# A landing_mode that would let every account in is refused when serve starts.
sed -i 's|landing_mode: "2770"|landing_mode: "0777"|' profile.yaml
run "$SIGHTLINE" serve --profile profile.yaml --drain
expect_eq "a world-open landing_mode is refused" 1 "$code"
expect_contains "naming the key" "'landing_mode' \"0777\" must give others no access" "$out"
finish

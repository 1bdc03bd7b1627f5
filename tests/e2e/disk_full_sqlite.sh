# The tenant database's disk fills up while a load commits: SQLite's error is a retryable
# failure naming the cause, the database is as before and intact, the file stays pending; once
# there is room the next run loads it exactly once (the archived copy of the failed attempt
# does not load it twice), and a restore replays it exactly once.
source "$(dirname "$0")/common.sh"

# The tenant databases on a small file system of their own (needs root: skipped otherwise).
mounted=""
unmount() {
  if [ -n "$mounted" ]; then umount "$mounted" 2>/dev/null || umount -l "$mounted" || true; fi
  cleanup
}
trap unmount EXIT
mkdir -p var/db
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=8m,mode=0700 sightline-test var/db; then
  echo "skip: cannot mount a tmpfs (needs root)"
  exit 77
fi
mounted=$WORK/var/db

write_profile profile.yaml
mkdir -p var/landing/demo
"$SIGHTLINE" generate --rows 300 --customers 40 --seed 1 --output var/landing/demo/first.csv
"$SIGHTLINE" serve --profile profile.yaml --drain >/dev/null
before=$(stats_json profile.yaml demo)
lines_before=$(echo "$before" | json_get 'd["lines"]')
revenue_before=$(echo "$before" | json_get 'd["revenue"]')
database=$(find var/db -maxdepth 1 -name '*demo*' -type f ! -name '*-wal' ! -name '*-shm' ! -name '*-journal' | head -1)
integrity() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$database"; }
expect_eq "the tenant database is intact before" ok "$(integrity)"

# A file whose lines cannot fit in what is left of the database's file system.
big_lines=40000
"$SIGHTLINE" generate --rows $big_lines --customers 3000 --seed 2 --output big.csv
dd if=/dev/zero of=var/db/filler bs=64k 2>/dev/null || true
truncate -s -32768 var/db/filler
cp big.csv var/landing/demo/big.csv

run "$SIGHTLINE" serve --profile profile.yaml --drain
expect_contains "the drain reports the load for a retry" "1 retry" "$out"
check "the file stays in the landing folder" test -f var/landing/demo/big.csv
failed=$(grep '"event":"load.failed"' var/log/sightline.log | grep '"file":"big.csv"' | tail -1)
expect_contains "the log names the cause" "no space left on device" "$failed"
expect_contains "the log names the database's folder" "$WORK/var/db" "$failed"
check "the full disk was retried within the load (transient)" \
  grep -q '"event":"load.retrying".*"file":"big.csv"' var/log/sightline.log
# What a transport tells the tenant (intake-ftps writes it into a status note): no server paths.
note=$(grep '"event":"upload.retry"' var/log/sightline.log | grep '"file":"big.csv"' | tail -1 | json_get 'd["reason"]')
expect_contains "the tenant is told the file will be retried" "big.csv this time; the file is kept and will be retried" "$note"
check "the tenant is not told the server's paths" test "${note/$WORK/}" == "$note"
run "$SIGHTLINE" jobs --profile profile.yaml --tenant demo --failed --json
job=$(echo "$out" | json_get '[j for j in d if j["file"] == "big.csv"][0]')
expect_contains "the job history says it will be retried" "will be retried" "$job"
expect_contains "the job history names the cause" "no space left on device" "$job"
after=$(stats_json profile.yaml demo)
expect_eq "lines unchanged" "$lines_before" "$(echo "$after" | json_get 'd["lines"]')"
expect_eq "revenue unchanged" "$revenue_before" "$(echo "$after" | json_get 'd["revenue"]')"
expect_eq "the tenant's files unchanged" 1 "$(echo "$after" | json_get 'len(d["files"])')"
expect_eq "the tenant database is intact after the failure" ok "$(integrity)"

# Room again: the next run loads the file, once, though the archive kept the failed attempt's copy.
rm var/db/filler
run "$SIGHTLINE" serve --profile profile.yaml --drain
expect_contains "the retry loads it" "1 loaded" "$out"
check "the landing folder is empty" test ! -e var/landing/demo/big.csv
loaded=$(stats_json profile.yaml demo)
expect_eq "loaded exactly once" "$((lines_before + big_lines))" "$(echo "$loaded" | json_get 'd["lines"]')"
expect_eq "the tenant's files list big.csv once" 1 \
  "$(echo "$loaded" | json_get 'sum(1 for f in d["files"] if f["name"] == "big.csv")')"
expect_eq "the tenant database is intact after the retry" ok "$(integrity)"
replayed_entries=$(python3 - var/archive/demo/history.jsonl <<'PY'
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1])]
cancelled = {e["cancels"] for e in entries if e["type"] == "cancelled"}
print(sum(1 for e in entries if e["type"] == "file" and e["name"] == "big.csv"
          and e["result"] == "loaded" and e["id"] not in cancelled))
PY
)
expect_eq "the archive's history has big.csv loaded once (failed attempts cancelled)" 1 "$replayed_entries"

# A restore builds the database beside the old one before the swap: without room for both it
# fails, and the tenant keeps its data.
dd if=/dev/zero of=var/db/filler bs=64k 2>/dev/null || true
truncate -s -32768 var/db/filler
run "$SIGHTLINE" restore --profile profile.yaml --tenant demo --replace --reason "disk full drill"
check "a restore without room for the new database fails" test "$code" -ne 0
expect_contains "it names the cause" "no space left on device in $WORK/var/db" "$out"
kept=$(stats_json profile.yaml demo)
expect_eq "the tenant keeps its lines" "$(echo "$loaded" | json_get 'd["lines"]')" "$(echo "$kept" | json_get 'd["lines"]')"
expect_eq "the tenant keeps its revenue" "$(echo "$loaded" | json_get 'd["revenue"]')" "$(echo "$kept" | json_get 'd["revenue"]')"
expect_eq "the tenant database is intact after the failed restore" ok "$(integrity)"

# With room, the restore replays the history: the same lines and revenue, big.csv once.
rm var/db/filler
mount -o remount,size=64m "$mounted"
run "$SIGHTLINE" restore --profile profile.yaml --tenant demo --replace --reason "disk full drill"
expect_eq "restore exits 0" 0 "$code"
restored=$(stats_json profile.yaml demo)
for field in lines revenue customers; do
  expect_eq "restored $field equals the loaded $field" "$(echo "$loaded" | json_get "d['$field']")" \
    "$(echo "$restored" | json_get "d['$field']")"
done
expect_eq "the restored files list big.csv once" 1 \
  "$(echo "$restored" | json_get 'sum(1 for f in d["files"] if f["name"] == "big.csv")')"
finish

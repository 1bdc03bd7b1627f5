# Archive, tenant databases, job history and log on one disk that fills up during a load (the
# usual installation: all under /var/lib/sightline): the load fails as retryable, nothing is
# half-written, the tenant's data is as before; once there is room the next run loads the file
# exactly once and a restore replays it exactly once.
source "$(dirname "$0")/common.sh"

# All of var/ on a small file system of its own (needs root: skipped otherwise).
mounted=""
unmount() {
  if [ -n "$mounted" ]; then umount "$mounted" 2>/dev/null || umount -l "$mounted" || true; fi
  cleanup
}
trap unmount EXIT
mkdir -p var
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=16m,mode=0700 sightline-test var; then
  echo "skip: cannot mount a tmpfs (needs root)"
  exit 77
fi
mounted=$WORK/var

write_profile profile.yaml
mkdir -p var/landing/demo
"$SIGHTLINE" generate --rows 300 --customers 40 --seed 1 --output var/landing/demo/first.csv
"$SIGHTLINE" serve --profile profile.yaml --drain >/dev/null
before=$(stats_json profile.yaml demo)
lines_before=$(echo "$before" | json_get 'd["lines"]')
revenue_before=$(echo "$before" | json_get 'd["revenue"]')

# Room for the archived copy (about 0.6 MB compressed) but not for the lines in the database: the
# first attempt fails in SQLite after the archive stored the object and the history entry.
big_lines=40000
"$SIGHTLINE" generate --rows $big_lines --customers 3000 --seed 2 --output big.csv
cp big.csv var/landing/demo/big.csv
dd if=/dev/zero of=var/filler bs=64k 2>/dev/null || true
truncate -s -1000000 var/filler

run "$SIGHTLINE" serve --profile profile.yaml --drain
expect_eq "serve survives the full disk" 0 "$code"
expect_contains "the drain reports the load for a retry" "1 retry" "$out"
check "the file stays in the landing folder" test -f var/landing/demo/big.csv
check "SQLite's full disk is named in the log" \
  grep -q '"event":"load.retrying".*no space left on device in '"$WORK"'/var/db' var/log/sightline.log
expect_eq "no half-written object in the archive's tmp folder" "" "$(find var/archive/demo/tmp -type f)"
# The job history (in the state folder, on the same disk) may fail to record: the log says so
# under its own name, not as another load.failed.
expect_eq "every load.failed line is a load's" "" \
  "$(grep '"event":"load.failed"' var/log/sightline.log | grep -v '"file":"' || true)"
after=$(stats_json profile.yaml demo)
expect_eq "lines unchanged" "$lines_before" "$(echo "$after" | json_get 'd["lines"]')"
expect_eq "revenue unchanged" "$revenue_before" "$(echo "$after" | json_get 'd["revenue"]')"
integrity=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' var/db/demo.sqlite)
expect_eq "the tenant database is intact" ok "$integrity"

rm var/filler
run "$SIGHTLINE" serve --profile profile.yaml --drain
expect_contains "the retry loads it" "1 loaded" "$out"
loaded=$(stats_json profile.yaml demo)
expect_eq "loaded exactly once" "$((lines_before + big_lines))" "$(echo "$loaded" | json_get 'd["lines"]')"

# A restore builds beside the old data before the swap: room for both.
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

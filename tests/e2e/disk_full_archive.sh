# The archive's disk fills up while it stores an upload: the load fails as retryable, the file
# stays pending, the tenant's data and the archive are as before; once there is room the next
# run loads the file exactly once, and a restore replays it exactly once.
source "$(dirname "$0")/common.sh"

# The archive on a small file system of its own (needs root: skipped otherwise).
mounted=""
unmount() {
  if [ -n "$mounted" ]; then umount "$mounted" 2>/dev/null || umount -l "$mounted" || true; fi
  cleanup
}
trap unmount EXIT
mkdir -p var/archive
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=4m,mode=0700 sightline-test var/archive; then
  echo "skip: cannot mount a tmpfs (needs root)"
  exit 77
fi
mounted=$WORK/var/archive

write_profile profile.yaml
mkdir -p var/landing/demo
"$SIGHTLINE" generate --rows 300 --customers 40 --seed 1 --output var/landing/demo/first.csv
"$SIGHTLINE" serve --profile profile.yaml --drain >/dev/null
before=$(stats_json profile.yaml demo)
lines_before=$(echo "$before" | json_get 'd["lines"]')
revenue_before=$(echo "$before" | json_get 'd["revenue"]')

# A file whose archived copy (zstd-compressed) cannot fit in what is left: fill the archive's
# file system, then give back 32 KiB.
big_lines=40000
"$SIGHTLINE" generate --rows $big_lines --customers 3000 --seed 2 --output big.csv
dd if=/dev/zero of=var/archive/filler bs=64k 2>/dev/null || true
truncate -s -32768 var/archive/filler
cp big.csv var/landing/demo/big.csv

run "$SIGHTLINE" serve --profile profile.yaml --drain
expect_contains "the drain reports the load for a retry" "1 retry" "$out"
check "the file stays in the landing folder" test -f var/landing/demo/big.csv
failed=$(grep '"event":"load.failed"' var/log/sightline.log | grep '"file":"big.csv"' | tail -1)
expect_contains "the log names the cause" "No space left on device" "$failed"
expect_contains "the log names the archive's folder" "$WORK/var/archive/demo/tmp" "$failed"
check "the disk error was retried within the load (transient)" \
  grep -q '"event":"load.retrying".*"file":"big.csv"' var/log/sightline.log
# What a transport tells the tenant (intake-ftps writes it into a status note): no server paths.
note=$(grep '"event":"upload.retry"' var/log/sightline.log | grep '"file":"big.csv"' | tail -1 | json_get 'd["reason"]')
expect_contains "the tenant is told the file will be retried" "big.csv this time; the file is kept and will be retried" "$note"
check "the tenant is not told the server's paths" test "${note/$WORK/}" == "$note"
run "$SIGHTLINE" jobs --profile profile.yaml --tenant demo --failed --json
job=$(echo "$out" | json_get '[j for j in d if j["file"] == "big.csv"][0]')
expect_contains "the job history says the load failed" "'status': 'failed'" "$job"
expect_contains "the job history says it will be retried" "will be retried" "$job"
expect_contains "the job history names the cause" "No space left on device" "$job"
after=$(stats_json profile.yaml demo)
expect_eq "lines unchanged" "$lines_before" "$(echo "$after" | json_get 'd["lines"]')"
expect_eq "revenue unchanged" "$revenue_before" "$(echo "$after" | json_get 'd["revenue"]')"
expect_eq "no half-written object in the archive's tmp folder" "" "$(find var/archive/demo/tmp -type f)"
expect_eq "the archive holds only the first file" 1 "$(find var/archive/demo/objects -type f | wc -l)"

# Room again: the next run loads the file, once.
rm var/archive/filler
run "$SIGHTLINE" serve --profile profile.yaml --drain
expect_contains "the retry loads it" "1 loaded" "$out"
check "the landing folder is empty" test ! -e var/landing/demo/big.csv
loaded=$(stats_json profile.yaml demo)
expect_eq "loaded exactly once" "$((lines_before + big_lines))" "$(echo "$loaded" | json_get 'd["lines"]')"
expect_eq "the tenant's files list big.csv once" 1 \
  "$(echo "$loaded" | json_get 'sum(1 for f in d["files"] if f["name"] == "big.csv")')"
replayed_entries=$(python3 - var/archive/demo/history.jsonl <<'PY'
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1])]
cancelled = {e["cancels"] for e in entries if e["type"] == "cancelled"}
print(sum(1 for e in entries if e["type"] == "file" and e["name"] == "big.csv"
          and e["result"] == "loaded" and e["id"] not in cancelled))
PY
)
expect_eq "the archive's history has big.csv loaded once" 1 "$replayed_entries"

# A restore replays the history: the same lines and revenue, big.csv once.
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

# The archive's folder turns read-only (a file system remounted read-only after an error): loads
# fail with an error naming the archive and the cause, nothing is lost (the file stays in its
# landing folder, the tenant's data unchanged), and once the folder is writable again the next
# run loads the file exactly once.
source "$(dirname "$0")/common.sh"

# chmod is no obstacle to root: the archive gets a file system of its own that can be remounted
# read-only (needs root: skipped otherwise).
mounted=""
unmount() {
  if [ -n "$mounted" ]; then umount "$mounted" 2>/dev/null || umount -l "$mounted" || true; fi
  cleanup
}
trap unmount EXIT
mkdir -p var/archive
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=16m,mode=0700 sightline-test var/archive; then
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
history_before=$(cat var/archive/demo/history.jsonl)

mount -o remount,ro "$mounted"
check "the archive's folder is read-only now" bash -c "! touch var/archive/probe 2>/dev/null"
"$SIGHTLINE" generate --rows 2000 --customers 300 --seed 2 --output var/landing/demo/second.csv
run "$SIGHTLINE" serve --profile profile.yaml --drain
expect_contains "the drain reports the load for a retry" "1 retry" "$out"
check "the file stays in the landing folder" test -f var/landing/demo/second.csv
failed=$(grep '"event":"load.failed"' var/log/sightline.log | grep '"file":"second.csv"' | tail -1)
expect_contains "the log names the cause" "Read-only file system" "$failed"
expect_contains "the log names the archive's folder" "archive-fs: cannot create a temporary file in $WORK/var/archive/demo/tmp" "$failed"
check "the intake logs that it keeps the file for a retry" \
  grep -q '"event":"upload.retry".*"file":"second.csv"' var/log/sightline.log
# What a transport tells the tenant (intake-ftps writes it into a status note): no server paths.
note=$(grep '"event":"upload.retry"' var/log/sightline.log | grep '"file":"second.csv"' | tail -1 | json_get 'd["reason"]')
expect_contains "the tenant is told the file will be retried" "second.csv this time; the file is kept and will be retried" "$note"
check "the tenant is not told the server's paths" test "${note/$WORK/}" == "$note"
run "$SIGHTLINE" jobs --profile profile.yaml --tenant demo --failed --json
job=$(echo "$out" | json_get '[j for j in d if j["file"] == "second.csv"][0]')
expect_contains "the job history says it will be retried" "will be retried" "$job"
expect_contains "the job history names the cause" "Read-only file system" "$job"
after=$(stats_json profile.yaml demo)
expect_eq "lines unchanged" "$lines_before" "$(echo "$after" | json_get 'd["lines"]')"
expect_eq "the tenant's files unchanged" 1 "$(echo "$after" | json_get 'len(d["files"])')"
expect_eq "the archive's history unchanged" "$history_before" "$(cat var/archive/demo/history.jsonl)"

# Writable again: the next run loads the file, once.
mount -o remount,rw "$mounted"
run "$SIGHTLINE" serve --profile profile.yaml --drain
expect_contains "the retry loads it" "1 loaded" "$out"
check "the landing folder is empty" test ! -e var/landing/demo/second.csv
loaded=$(stats_json profile.yaml demo)
expect_eq "loaded exactly once" "$((lines_before + 2000))" "$(echo "$loaded" | json_get 'd["lines"]')"
expect_eq "the tenant's files list second.csv once" 1 \
  "$(echo "$loaded" | json_get 'sum(1 for f in d["files"] if f["name"] == "second.csv")')"
run "$SIGHTLINE" restore --profile profile.yaml --tenant demo --replace --reason "read-only drill"
expect_eq "restore exits 0" 0 "$code"
restored=$(stats_json profile.yaml demo)
for field in lines revenue; do
  expect_eq "restored $field equals the loaded $field" "$(echo "$loaded" | json_get "d['$field']")" \
    "$(echo "$restored" | json_get "d['$field']")"
done
finish

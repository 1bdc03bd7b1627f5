# A load killed with SIGKILL half-way leaves the previous data intact and the file pending;
# the next run loads it exactly once.
source "$(dirname "$0")/common.sh"
write_profile profile.yaml
mkdir -p var/landing/demo
"$SIGHTLINE" generate --rows 1000 --customers 50 --seed 1 --output var/landing/demo/first.csv
"$SIGHTLINE" serve --profile profile.yaml --drain >/dev/null
before=$(stats_json profile.yaml demo)
"$SIGHTLINE" generate --rows 1500000 --customers 5000 --seed 2 --output big.csv
big_lines=1500000
cp big.csv var/landing/demo/big.csv

# Kill the load once it is well under way: the archive's temporary copy of the upload grows as
# the pipeline streams the file (rows go into the open transaction at the same pace).
"$SIGHTLINE" serve --profile profile.yaml --drain >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 400); do
  if grep -q '"event":"load.started".*"file":"big.csv"' var/log/sightline.log 2>/dev/null &&
     [ -n "$(find var/archive/demo/tmp -type f -size +5M 2>/dev/null)" ]; then break; fi
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
check "the load was killed before it finished" bash -c "! grep -q '\"event\":\"load.finished\".*\"file\":\"big.csv\"' var/log/sightline.log"
after=$(stats_json profile.yaml demo)
expect_eq "lines unchanged after the kill" "$(echo "$before" | json_get 'd["lines"]')" "$(echo "$after" | json_get 'd["lines"]')"
expect_eq "revenue unchanged after the kill" "$(echo "$before" | json_get 'd["revenue"]')" "$(echo "$after" | json_get 'd["revenue"]')"
check "the file is still pending in the landing folder" test -f var/landing/demo/big.csv

run "$SIGHTLINE" serve --profile profile.yaml --drain
expect_contains "the next run loads it" "1 loaded" "$out"
final=$(stats_json profile.yaml demo)
expect_eq "loaded exactly once" "$(( $(echo "$before" | json_get 'd["lines"]') + big_lines ))" "$(echo "$final" | json_get 'd["lines"]')"
expect_eq "two files loaded in all" 2 "$(echo "$final" | json_get 'len(d["files"])')"
finish

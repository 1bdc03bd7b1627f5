# serve runs until SIGTERM, picks up uploads as they land (written under a temporary name and
# renamed), and stops cleanly.
source "$(dirname "$0")/common.sh"
write_profile profile.yaml
"$SIGHTLINE" serve --profile profile.yaml >serve.out 2>&1 &
pid=$!
for _ in $(seq 1 100); do [ -d var/landing/demo/full ] && break; sleep 0.05; done
check "serve creates the tenants' landing folders" test -d var/landing/demo/full
"$SIGHTLINE" generate --rows 300 --customers 20 --seed 3 --output var/landing/demo/upload.csv.part
# File times can be as coarse as a clock tick, so two files written back to back may share one;
# the incremental file is dated a few seconds back to make "oldest first" decide the order.
touch -d '3 seconds ago' var/landing/demo/upload.csv.part
mv var/landing/demo/upload.csv.part var/landing/demo/upload.csv
printf 'order,timestamp,customer,item,price\nF,2026-01-01,9,x,2\n' > var/landing/demo/full/.f.csv
mv var/landing/demo/full/.f.csv var/landing/demo/full/replace.csv
for _ in $(seq 1 200); do
  [ ! -e var/landing/demo/upload.csv ] && [ ! -e var/landing/demo/full/replace.csv ] && break
  sleep 0.05
done
check "both uploads were taken" test ! -e var/landing/demo/upload.csv -a ! -e var/landing/demo/full/replace.csv
kill -TERM "$pid"
set +e
wait "$pid"
code=$?
set -e
expect_eq "serve exits 0 on SIGTERM" 0 "$code"
check "it logged stopping" grep -q '"event":"serve.stopped"' var/log/sightline.log
stats=$(stats_json profile.yaml demo)
# Order is oldest first: the incremental file, then the full upload that replaces it.
expect_eq "the full upload replaced everything" 1 "$(echo "$stats" | json_get 'd["lines"]')"
expect_eq "revenue of the full upload" 2 "$(echo "$stats" | json_get 'd["revenue"]')"
finish

# Unix habits of the command line: --help everywhere, --version, exit codes, errors on stderr.
source "$(dirname "$0")/common.sh"
write_profile profile.yaml

run "$SIGHTLINE" --version
expect_eq "--version exits 0" 0 "$code"
expect_contains "--version names the plugin API" "plugin API 1.6" "$out"
for cmd in "plugins list" "plugins inspect" "profile check" "load" "tenant stats" "generate" "serve"; do
  run $SIGHTLINE $cmd --help
  expect_eq "$cmd --help exits 0" 0 "$code"
  expect_contains "$cmd --help shows usage" "Usage: sightline $cmd" "$out"
done
run "$SIGHTLINE"
expect_eq "no command is a usage error" 2 "$code"
run "$SIGHTLINE" frobnicate
expect_eq "unknown command exits 2" 2 "$code"
run "$SIGHTLINE" load --profile profile.yaml
expect_eq "missing required options exit 2" 2 "$code"
run "$SIGHTLINE" load --profile profile.yaml --tenant demo --bogus x
expect_eq "unknown option exits 2" 2 "$code"

printf 'order,timestamp,customer,item,price\nA,2026-01-01,1,x,1.5\n' > good.csv
printf 'order,timestamp,customer,item,price\nA,2026-01-01,1,x,1.5.5\n' > bad.csv
set +e
"$SIGHTLINE" load --profile profile.yaml --tenant demo bad.csv >stdout.txt 2>stderr.txt
code=$?
set -e
expect_eq "a refused file exits 1" 1 "$code"
expect_contains "the refusal names file, line, column and column name" "bad.csv:2:5 (price):" "$(cat stderr.txt)"
expect_eq "nothing on stdout for a refusal" "" "$(cat stdout.txt)"
run "$SIGHTLINE" load --profile profile.yaml --tenant demo good.csv
expect_eq "a good file exits 0" 0 "$code"
run "$SIGHTLINE" load --profile profile.yaml --tenant demo --json good.csv
expect_eq "a duplicate exits 0" 0 "$code"
expect_eq "--json reports the duplicate" duplicate "$(echo "$out" | json_get 'd[0]["result"]')"
run "$SIGHTLINE" load --profile profile.yaml --tenant nobody good.csv
expect_eq "an unknown tenant exits 1" 1 "$code"
run "$SIGHTLINE" tenant stats --profile profile.yaml --tenant demo
expect_contains "stats in text" "revenue        1.5" "$out"
run "$SIGHTLINE" load --profile missing.yaml --tenant demo good.csv
expect_eq "a missing profile exits 1" 1 "$code"
expect_contains "and says so" "cannot read the profile" "$out"

# Profile bounds (docs/security.md): a few hundred bytes of nested aliases stand for 10^8 nodes.
{
  echo "version: 1"
  echo "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"
  for i in 1 2 3 4 5 6 7; do
    echo "a$i: &a$i [$(printf '*a%d, ' $((i - 1)) $((i - 1)) $((i - 1)) $((i - 1)) $((i - 1)) \
      $((i - 1)) $((i - 1)) $((i - 1)) $((i - 1)))*a$((i - 1))]"
  done
} > bomb.yaml
start=$(date +%s)
run timeout 20 "$SIGHTLINE" profile check bomb.yaml
expect_eq "a profile whose aliases expand past the node cap is refused" 1 "$code"
expect_contains "and says why" "more than 100000 YAML nodes" "$out"
expect_eq "at once" 1 "$(( $(date +%s) - start < 5 ))"
{ cat profile.yaml; head -c 1100000 /dev/zero | tr '\0' '#'; echo; } > huge.yaml
run "$SIGHTLINE" profile check huge.yaml
expect_eq "a profile over 1 MiB is refused" 1 "$code"
expect_contains "and says why" "at most 1048576 are read" "$out"
finish

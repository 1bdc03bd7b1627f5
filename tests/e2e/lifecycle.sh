# The data lifecycle through the command line: selective deletion (dry run, each scope, what the
# log may say), restore from the archive into another target section (the same stats and
# history as the original), and the refusals that leave everything as it was (missing or
# corrupt object, destination not empty).
source "$(dirname "$0")/common.sh"
write_profile profile.yaml
cat >>profile.yaml <<YAML
targets:
  copy:
    plugin: target-sqlite
    config: {dir: $WORK/var/db-copy}
YAML
sl() { "$SIGHTLINE" "$@"; }
lines_of() { stats_json profile.yaml demo | json_get 'd["lines"]'; }

sl generate --rows 3000 --customers 200 --seed 1 --output first.csv
sl generate --rows 2000 --customers 200 --seed 2 --output second.csv
sl generate --catalog --rows 3000 --customers 200 --seed 1 --output catalog.csv
# Distinctive ids, to look for them in the log afterwards.
cat >marked.csv <<CSV
order,timestamp,customer,item,price,quantity
M-1,2026-03-01T10:00:00Z,987654321012345,sku-m,10.000001,1
M-1,2026-03-01T10:00:00Z,987654321012345,sku-n,5,1
M-2,2026-03-02T10:00:00Z,18446744073709551614,sku-m,-2.5,-1
T-1,2031-06-01T00:00:00Z,555000555000555,sku-t,7,1
T-2,2031-06-30T23:59:59Z,555000555000555,sku-t,8,1
T-3,2031-07-01T00:00:00Z,555000555000555,sku-t,9,1
CSV
sl load --profile profile.yaml --tenant demo first.csv second.csv marked.csv catalog.csv >/dev/null
total=$(lines_of)
expect_eq "loaded everything" 5006 "$total"

run sl delete --profile profile.yaml --tenant demo --customers 987654321012345,18446744073709551614 --dry-run --reason "asked by the customer"
expect_eq "dry run exits 0" 0 "$code"
expect_contains "dry run counts the lines" "would delete 3 lines" "$out"
expect_contains "dry run counts orders and revenue" "(2 orders, 2 customers, revenue 12.500001)" "$out"
expect_eq "dry run changes nothing" "$total" "$(lines_of)"

run sl delete --profile profile.yaml --tenant demo --customers 987654321012345,18446744073709551614 --reason "asked by the customer" --json
expect_eq "delete by customers exits 0" 0 "$code"
expect_eq "delete reports the lines" 3 "$(echo "$out" | json_get 'd["lines"]')"
expect_eq "the lines are gone" $((total - 3)) "$(lines_of)"

run sl delete --profile profile.yaml --tenant demo --from 2031-06-01 --to 2031-07-01 --reason "test range"
expect_contains "delete by time range: half-open" "deleted 2 lines" "$out"
run sl delete --profile profile.yaml --tenant demo --orders T-3 --reason "test order"
expect_contains "delete by order id" "deleted 1 line" "$out"
expect_eq "lines after three deletions" $((total - 6)) "$(lines_of)"

# The customer comes back in a later file: a deletion removes what existed then, not later lines.
cat >later.csv <<CSV
order,timestamp,customer,item,price
L-1,2026-04-01T10:00:00Z,987654321012345,sku-m,1
CSV
sl load --profile profile.yaml --tenant demo later.csv >/dev/null
sl load --profile profile.yaml --tenant demo --full --reason "monthly full export" second.csv >/dev/null
sl load --profile profile.yaml --tenant demo later.csv >/dev/null
run sl delete --profile profile.yaml --tenant demo --reason "no scope"
expect_eq "no scope is a usage error" 2 "$code"
run sl delete --profile profile.yaml --tenant demo --customers 1 --orders A --reason "x"
expect_eq "two scopes are a usage error" 2 "$code"
run sl delete --profile profile.yaml --tenant demo --customers 12x --reason "x"
expect_eq "a bad customer id is a usage error" 2 "$code"
run sl delete --profile profile.yaml --tenant demo --customers 1 --reason " "
expect_eq "an empty reason is refused" 1 "$code"

check "the log names the operator and reason" grep -q '"event":"delete.done".*"operator":"'"$(id -un)"'".*"reason":"asked by the customer"' var/log/sightline.log
check "no customer id appears in the log" bash -c "! grep -E '987654321012345|18446744073709551614|555000555000555' var/log/sightline.log"

original=$(stats_json profile.yaml demo)
run sl restore --profile profile.yaml --tenant demo --into copy --progress --reason drill
expect_eq "restore exits 0" 0 "$code"
expect_contains "restore shows progress" "replay: entry" "$out"
expect_contains "restore says what it replayed" "3 deletions replayed" "$out"
write_profile copy.yaml
sed -i "s#{dir: $WORK/var/db}#{dir: $WORK/var/db-copy}#" copy.yaml
restored=$(stats_json copy.yaml demo)
for field in lines customers revenue catalog_items; do
  expect_eq "restored $field equals the original" "$(echo "$original" | json_get "d['$field']")" "$(echo "$restored" | json_get "d['$field']")"
done
expect_eq "restored history equals the original" \
  "$(echo "$original" | json_get '[(f["name"], f["result"], f["rows"]) for f in d["files"]]')" \
  "$(echo "$restored" | json_get '[(f["name"], f["result"], f["rows"]) for f in d["files"]]')"

run sl restore --profile profile.yaml --tenant demo --into copy --reason drill
expect_eq "restore into a non-empty database is refused" 1 "$code"
expect_contains "and says how to replace" "--replace" "$out"

object=$(find var/archive/demo/objects -type f | head -1)
cp "$object" object.bak
printf 'X' | dd of="$object" bs=1 seek=10 conv=notrunc 2>/dev/null
run sl restore --profile profile.yaml --tenant demo --into copy --replace --reason drill
expect_eq "a corrupt object refuses the restore" 1 "$code"
expect_contains "before anything is changed" "nothing was changed" "$out"
expect_eq "the destination kept its data" "$(echo "$restored" | json_get 'd["lines"]')" "$(stats_json copy.yaml demo | json_get 'd["lines"]')"
rm "$object"
run sl restore --profile profile.yaml --tenant demo --into copy --replace --reason drill
expect_eq "a missing object refuses the restore" 1 "$code"
expect_contains "the message says missing" "is missing" "$out"
cp object.bak "$object"
run sl restore --profile profile.yaml --tenant demo --into copy --replace --json --reason drill
expect_eq "restore --replace with the object back" 0 "$code"
expect_eq "replace gives the same lines" "$(echo "$original" | json_get 'd["lines"]')" "$(stats_json copy.yaml demo | json_get 'd["lines"]')"
run sl restore --profile profile.yaml --tenant demo --into nowhere --reason drill
expect_eq "an unknown section is refused" 1 "$code"
finish

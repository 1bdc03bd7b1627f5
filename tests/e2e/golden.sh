# generate -> serve (local-style profile) -> tenant stats, checked against totals that python's
# csv module and Decimal compute independently from the same CSV (no project code involved).
source "$(dirname "$0")/common.sh"
write_profile profile.yaml
mkdir -p var/landing/demo
"$SIGHTLINE" generate --rows 5000 --customers 700 --seed 42 --output var/landing/demo/sales.csv
"$SIGHTLINE" generate --rows 5000 --customers 700 --seed 42 --catalog --output var/landing/demo/catalog.csv
cp var/landing/demo/sales.csv expected.csv

run "$SIGHTLINE" serve --profile profile.yaml --drain
expect_eq "serve --drain exits 0" 0 "$code"
expect_contains "serve reports what it processed" "processed 2 uploads, 2 loaded" "$out"
check "processed files left the landing folder" test ! -e var/landing/demo/sales.csv

read -r lines customers revenue < <(python3 - expected.csv <<'PY'
import csv, sys
from decimal import Decimal
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = [r for r in csv.DictReader(f)]
total = sum(Decimal(r['price'].strip()) for r in rows)
text = format(total.normalize(), 'f') if total != 0 else '0'
print(len(rows), len({r['customer'].strip() for r in rows}), text)
PY
)
stats=$(stats_json profile.yaml demo)
expect_eq "lines match the CSV" "$lines" "$(echo "$stats" | json_get 'd["lines"]')"
expect_eq "distinct customers match the CSV" "$customers" "$(echo "$stats" | json_get 'd["customers"]')"
expect_eq "revenue matches to the last decimal" "$revenue" "$(echo "$stats" | json_get 'd["revenue"]')"
expect_eq "one sales file listed as loaded" "sales.csv" "$(echo "$stats" | json_get '",".join(f["name"] for f in d["files"] if f["kind"]=="sales")')"
expect_eq "its sha256 is the file's" "$(sha256sum expected.csv | cut -d' ' -f1)" \
  "$(echo "$stats" | json_get '[f["sha256"] for f in d["files"] if f["kind"]=="sales"][0]')"
check "the other tenant is untouched" test "$(stats_json profile.yaml other | json_get 'd["lines"]')" = 0
check "the log has one load.finished per file" test "$(grep -c '"event":"load.finished"' var/log/sightline.log)" = 2
finish

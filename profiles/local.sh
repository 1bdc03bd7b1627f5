#!/usr/bin/env bash
# Installs, builds, generates sample data and loads it through `sightline serve` on the local
# profile (profiles/local.yaml), then shows where the data landed and how to look at it.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/install-deps
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSIGHTLINE_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j "$(nproc)"
sightline=build/release/bin/sightline

mkdir -p var/landing/demo
$sightline generate --rows 100000 --customers 5000 --seed 1 --catalog --output var/landing/demo/.catalog.part
mv var/landing/demo/.catalog.part var/landing/demo/catalog_sample.csv
$sightline generate --rows 100000 --customers 5000 --seed 1 --output var/landing/demo/sales.csv.part
mv var/landing/demo/sales.csv.part var/landing/demo/sales_sample.csv

$sightline profile check profiles/local.yaml
$sightline serve --profile profiles/local.yaml --drain
echo
$sightline tenant stats --profile profiles/local.yaml --tenant demo
echo
for definition in profiles/segments/*.yaml; do
  $sightline segment put --profile profiles/local.yaml --tenant demo --file "$definition" \
    --reason "local demo" 2>/dev/null
done
for id in lapsed-vip loyal-active; do
  echo "segment $id: $($sightline segment eval --profile profiles/local.yaml --tenant demo --id $id --count 2>/dev/null) customers"
done
cat <<TXT

Where the data landed:
  database  var/db/demo.sqlite      sqlite3 var/db/demo.sqlite 'SELECT * FROM sales LIMIT 5'
  archive   var/archive/demo/       every accepted upload, by SHA-256 (zstd), and history.jsonl
  landing   var/landing/demo/       drop more files here, or in var/landing/demo/full/ to replace all
  segments  var/state/segments/      definitions, versioned   $sightline segment list --profile profiles/local.yaml --tenant demo
Customers in a segment:       $sightline segment eval --profile profiles/local.yaml --tenant demo --id lapsed-vip
Run the intake and the Segmentation API (http://127.0.0.1:8470, docs/api.md) until Ctrl-C:
                              $sightline serve --profile profiles/local.yaml
TXT

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
cat <<TXT

Where the data landed:
  database  var/db/demo.sqlite      sqlite3 var/db/demo.sqlite 'SELECT * FROM sales LIMIT 5'
  archive   var/archive/demo/       every accepted upload, by SHA-256 (zstd), and history.jsonl
  landing   var/landing/demo/       drop more files here, or in var/landing/demo/full/ to replace all
Run the intake until Ctrl-C:  $sightline serve --profile profiles/local.yaml
TXT

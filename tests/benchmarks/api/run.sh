#!/usr/bin/env bash
# The Segmentation API under load (docs/benchmarks.md): wrk against `sightline serve` on a SQLite
# tenant of ROWS generated lines, counting a stored segment at 50 connections, cached (one fixed
# as_of) and uncached (a different as_of per request). Needs the `wrk` Debian package.
#   tests/benchmarks/api/run.sh [BUILD_DIR] [ROWS] [EVALUATOR]
# EVALUATOR (default evaluator-columnar) is listed first in the profile, so it answers.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build/bench}
rows=${2:-100000}
evaluator=${3:-evaluator-columnar}
sightline=$(cd "$build" && pwd)/bin/sightline
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/sightline-api-bench.XXXXXX")
trap 'kill $serve_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
token=bench-token-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
hash=$(printf %s "$token" | sha256sum | cut -d' ' -f1)
cat >profile.yaml <<YAML
version: 1
state_dir: $work/state
log: {format: json, level: info, file: $work/sightline.log}
archive: {plugin: archive-fs, config: {root: $work/archive}}
target: {plugin: target-sqlite, config: {dir: $work/db}}
evaluators: [{plugin: $evaluator}, {plugin: evaluator-sql}]
api:
  listen: ["127.0.0.1:0"]
  tls: off
  tokens: [{name: bench, sha256: $hash, tenants: [bench]}]
tenants: [{id: bench}]
YAML
"$sightline" generate --rows "$rows" --customers $((rows / 20)) --seed 1 --output sales.csv
"$sightline" load --profile profile.yaml --tenant bench sales.csv >/dev/null
cat >vip.json <<'JSON'
{"id":"lapsed-vip","name":"Lapsed VIPs","rule":{"all":[{"revenue":{"within_days":730,"min":500}},{"not":{"purchased":{"within_days":90}}}]}}
JSON
"$sightline" segment put --profile profile.yaml --tenant bench --file vip.json --reason bench >/dev/null
"$sightline" serve --profile profile.yaml 2>serve.err &
serve_pid=$!
for _ in $(seq 100); do
  port=$(grep '"api.listening"' sightline.log 2>/dev/null | grep -o '"address":"[^"]*"' |
    head -1 | grep -o '[0-9]*"$' | tr -d '"' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "serve did not start listening" >&2; cat serve.err sightline.log >&2; exit 1; }
url=http://127.0.0.1:$port/v1/tenants/bench/segments/lapsed-vip/count
# The first count builds (or opens) the evaluator's resident data: not part of the measure.
curl -fsS -H "Authorization: Bearer $token" "$url?as_of=2026-10-01T00:00:00Z" >/dev/null
echo "# Segmentation API, $evaluator, $rows lines, count of lapsed-vip, 50 connections, 2 threads, 20 s; $(date -u +%FT%TZ)"
echo "## cached (fixed as_of)"
wrk -t2 -c50 -d20s --timeout 10s --latency -H "Authorization: Bearer $token" "$url?as_of=2026-11-01T00:00:00Z" |
  grep -E "Requests/sec|99%|Non-2xx|Socket errors"
echo "## uncached (a new as_of per request)"
wrk -t2 -c50 -d20s --timeout 10s --latency -s "$here/uncached.lua" -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port" | grep -E "Requests/sec|99%|Non-2xx|Socket errors"

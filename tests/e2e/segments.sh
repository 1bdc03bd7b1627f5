# Segments through the command line: check, put (versions), eval (text, --count, --json, --as-of,
# every evaluator agreeing), delete, backup to the archive, and a tenant restore that brings the
# definitions back; bad definitions refused with their paths; no customer id in the log.
# (The same semantics on PostgreSQL are covered by the evaluator conformance and differential
# tests.)
source "$(dirname "$0")/common.sh"
write_profile profile.yaml
cat >>profile.yaml <<YAML
evaluators:
  - plugin: evaluator-sql
  - plugin: evaluator-memory
YAML
sl() { "$SIGHTLINE" "$@"; }

cat >sales.csv <<CSV
order,timestamp,customer,item,price,s_channel
A-1,2026-01-10T10:00:00Z,18446744073709551615,shoe,600,web
A-2,2026-10-01T10:00:00Z,18446744073709551615,shoe,20,web
B-1,2025-06-01T10:00:00Z,9223372036854775808,sock,800,shop
C-1,2026-10-20T10:00:00Z,42,sock,5,web
C-1,2026-10-21T10:00:00Z,42,sock,-5,web
D-1,2026-11-20T10:00:00Z,7,hat,700.5,app
CSV
sl load --profile profile.yaml --tenant demo sales.csv >/dev/null

cat >vip.yaml <<'YAML'
id: lapsed-vip
name: Lapsed VIPs
description: Spent 500 or more in the last two years, nothing in the last 90 days
rule:
  all:
    - revenue: {within_days: 730, min: 500}
    - not: {purchased: {within_days: 90}}
YAML
run sl segment check vip.yaml
expect_eq "a valid definition checks" 0 "$code"

printf '{"id":"bad","name":"x","rule":{"all":[{"orders":{"min":1}},{"not":{"purchsed":{}}}]}}' >bad.json
run sl segment check bad.json
expect_eq "an invalid definition is refused" 1 "$code"
expect_contains "the error names its path and a suggestion" \
  "rule.all[1].not.purchsed: unknown rule 'purchsed'; did you mean 'purchased'?" "$out"

AS_OF=2026-11-29T00:00:00Z
run sl segment eval --profile profile.yaml --tenant demo --file vip.yaml --as-of $AS_OF
expect_eq "eval from a file exits 0" 0 "$code"
# 18446744073709551615: 620 in two years but bought 59 days ago -> out.
# 9223372036854775808: 800, last bought 546 days ago -> in. 7: bought 9 days ago -> out.
expect_eq "eval prints the matching ids" "9223372036854775808" "$(sl segment eval --profile profile.yaml --tenant demo --file vip.yaml --as-of $AS_OF 2>/dev/null)"

cat >buyers.json <<'JSON'
{"id":"web-buyers","name":"Web buyers","rule":{"field":{"name":"s_channel","op":"eq","value":"web"}}}
JSON
expect_eq "ascending unsigned order, one per line" "42
18446744073709551615" "$(sl segment eval --profile profile.yaml --tenant demo --file buyers.json --as-of $AS_OF 2>/dev/null)"
for evaluator in evaluator-sql evaluator-memory; do
  expect_eq "$evaluator gives the same ids" "42
18446744073709551615" "$(sl segment eval --profile profile.yaml --tenant demo --file buyers.json --as-of $AS_OF --evaluator $evaluator 2>/dev/null)"
done
expect_eq "--as-of hides later lines" "18446744073709551615" \
  "$(sl segment eval --profile profile.yaml --tenant demo --file buyers.json --as-of 2026-10-15T00:00:00Z 2>/dev/null)"
expect_eq "--count" "2" "$(sl segment eval --profile profile.yaml --tenant demo --file buyers.json --as-of $AS_OF --count 2>/dev/null)"
json=$(sl segment eval --profile profile.yaml --tenant demo --file buyers.json --as-of $AS_OF --json 2>/dev/null)
expect_eq "--json carries ids as strings" '["42", "18446744073709551615"]' "$(echo "$json" | json_get 'd["customers"]' | tr "'" '"')"

printf '{"id":"x","name":"x","rule":{"field":{"name":"s_region","op":"eq","value":"north"}}}' >never.json
run sl segment eval --profile profile.yaml --tenant demo --file never.json --as-of $AS_OF
expect_contains "a field the data never had warns" "field 's_region' does not occur" "$out"

run sl segment put --profile profile.yaml --tenant demo --file vip.yaml --reason "first version"
expect_contains "put saves version 1" "saved as version 1" "$out"
sed 's/min: 500}/min: 700}/' vip.yaml >vip2.yaml
run sl segment put --profile profile.yaml --tenant demo --file vip2.yaml --reason "raise the bar"
expect_contains "put saves version 2" "saved as version 2" "$out"
run sl segment put --profile profile.yaml --tenant demo --file vip2.yaml --reason "again"
expect_contains "an unchanged definition keeps its version" "unchanged at version 2" "$out"
sl segment put --profile profile.yaml --tenant demo --file buyers.json --reason "web" >/dev/null
expect_eq "eval by id uses the current version" "9223372036854775808" \
  "$(sl segment eval --profile profile.yaml --tenant demo --id lapsed-vip --as-of $AS_OF 2>/dev/null)"
versions=$(sl segment versions --profile profile.yaml --tenant demo --id lapsed-vip --json)
expect_eq "both versions are kept with who made them" "2 $(id -un)" \
  "$(echo "$versions" | json_get 'str(len(d["versions"])) + " " + d["versions"][0]["author"]')"
run sl segment eval --profile profile.yaml --tenant other --id lapsed-vip
expect_eq "another tenant does not see the segment" 1 "$code"
expect_contains "and is told so" "has no segment 'lapsed-vip'" "$out"

run sl segment backup --profile profile.yaml --json
expect_eq "backup exits 0" 0 "$code"
expect_eq "backup writes the tenant's versions" "3" "$(echo "$out" | json_get '[b for b in d["backups"] if b["tenant"]=="demo"][0]["versions"]')"

# serve backs definitions up by itself (daily; the first pass runs at start).
sl segment put --profile profile.yaml --tenant other --file buyers.json --reason "web" >/dev/null
sl serve --profile profile.yaml >/dev/null 2>&1 &
serve_pid=$!
for _ in $(seq 100); do
  grep -qs '"type":"segments"' "$WORK/var/archive/other/history.jsonl" && break
  sleep 0.1
done
kill -TERM $serve_pid; wait $serve_pid || true
check "serve backs up the definitions of a tenant on its own" \
  grep -qs '"type":"segments"' "$WORK/var/archive/other/history.jsonl"

sl segment delete --profile profile.yaml --tenant demo --id web-buyers --reason "no longer needed" >/dev/null
expect_eq "a deleted segment is no longer listed" "lapsed-vip" \
  "$(sl segment list --profile profile.yaml --tenant demo --json | json_get '" ".join(s["id"] for s in d["segments"])')"

# Losing the host's state: the definitions come back from the archive with the tenant.
rm -rf "$WORK/var/state/segments"
run sl restore --profile profile.yaml --tenant demo --replace --json --reason drill
expect_eq "restore exits 0" 0 "$code"
expect_eq "restore brings the definitions back" "3" "$(echo "$out" | json_get 'd["segment_definitions"]')"
expect_eq "both segments are back (as backed up)" "lapsed-vip web-buyers" \
  "$(sl segment list --profile profile.yaml --tenant demo --json | json_get '" ".join(s["id"] for s in d["segments"])')"
expect_eq "and evaluate as before" "9223372036854775808" \
  "$(sl segment eval --profile profile.yaml --tenant demo --id lapsed-vip --as-of $AS_OF 2>/dev/null)"
run sl segment restore-definitions --profile profile.yaml --tenant demo --json
expect_eq "restoring again adds nothing" "0" "$(echo "$out" | json_get 'd["imported"]')"

if grep -Eq '18446744073709551615|9223372036854775808' "$WORK/var/log/sightline.log"; then
  fail "the log holds customer ids"
else
  pass "no customer id in the log"
fi
finish

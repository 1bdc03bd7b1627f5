# The audit log and the job history through the command line: a good and a refused load, a
# deletion, a restore, a segment saved and evaluated; each audited with its fields, each a job
# (`sightline jobs`, --failed), and neither file holding a customer id, a password or a token.
source "$(dirname "$0")/common.sh"
write_profile profile.yaml
cat >>profile.yaml <<YAML
evaluators:
  - plugin: evaluator-sql
YAML
# The local profile's API section: its token's hash must not reach the audit log either.
sed -n '/^api:/,$p' "$SOURCE_DIR/profiles/local.yaml" >>profile.yaml
sl() { "$SIGHTLINE" "$@"; }
AUDIT=$WORK/var/state/audit/audit.jsonl
JOBS=$WORK/var/state/jobs.sqlite

# Customer ids no other number in this test looks like.
cat >good.csv <<CSV
order,timestamp,customer,item,price
A-1,2026-10-01T10:00:00Z,987650001,shoe,600
A-2,2026-10-02T10:00:00Z,987650002,sock,20
A-3,2026-10-03T10:00:00Z,987650003,hat,7
CSV
printf 'order,timestamp,customer,item,price\nB-1,2026-10-01,987650004,x,1.5.5\n' >bad.csv
cat >vip.json <<'JSON'
{"id":"big-spenders","name":"Big spenders","rule":{"revenue":{"within_days":3650,"min":500}}}
JSON

run sl load --profile profile.yaml --tenant demo good.csv
expect_eq "the good file loads" 0 "$code"
run sl load --profile profile.yaml --tenant demo bad.csv
expect_eq "the bad file is refused" 1 "$code"
run sl delete --profile profile.yaml --tenant demo --customers 987650002 --reason "erasure request"
expect_eq "delete exits 0" 0 "$code"
run sl restore --profile profile.yaml --tenant demo --replace --reason "restore drill"
expect_eq "restore exits 0" 0 "$code"
run sl segment put --profile profile.yaml --tenant demo --file vip.json --reason "first version"
expect_eq "segment put exits 0" 0 "$code"
run sl segment eval --profile profile.yaml --tenant demo --id big-spenders --count
expect_eq "segment eval counts one customer" "1" "$(echo "$out" | tail -n 1)"

check "the audit log exists" test -s "$AUDIT"
check "the audit log is private" test "$(stat -c %a "$AUDIT")" = 600
# Each kind with its fields: python prints the first missing field, or nothing.
missing=$(python3 - "$AUDIT" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
need = {
    ("load", "loaded"): ["ts", "tenant", "file", "bytes", "sha256", "rows", "duration_ms"],
    ("load", "refused"): ["ts", "tenant", "file", "reason", "errors", "first_error_line"],
    ("deletion", None): ["ts", "tenant", "operator", "reason", "lines", "scope"],
    ("restore", None): ["ts", "tenant", "rows", "files", "duration_ms"],
    ("segment_change", None): ["ts", "tenant", "segment", "operator", "reason", "version"],
    ("segment_evaluation", None): ["ts", "tenant", "segment", "evaluator", "customer_count"],
}
for (kind, result), fields in need.items():
    found = [l for l in lines if l["kind"] == kind and (result is None or l.get("result") == result)]
    if not found:
        print(f"no {kind} {result or ''} line"); continue
    for f in fields:
        if f not in found[0]:
            print(f"{kind} {result or ''} lacks {f}: {found[0]}")
PY
)
expect_eq "every kind is audited with its fields" "" "$missing"
expect_eq "the refusal's reason is a category" "1 format error" \
  "$(grep '"result":"refused"' "$AUDIT" | json_get 'd["reason"]')"

run sl jobs --profile profile.yaml --json
expect_eq "jobs exits 0" 0 "$code"
expect_eq "jobs lists every kind, newest first" \
  "segment_evaluation segment_change restore deletion load:refused load:ok" \
  "$(echo "$out" | python3 -c 'import json,sys; print(" ".join(j["kind"] + (":" + j["status"] if j["kind"] == "load" else "") for j in json.load(sys.stdin)))')"
run sl jobs --profile profile.yaml --failed --json
expect_eq "--failed lists only the refused load" "bad.csv refused" \
  "$(echo "$out" | python3 -c 'import json,sys; print(" ".join(j["file"] + " " + j["status"] for j in json.load(sys.stdin)))')"
run sl jobs --profile profile.yaml --tenant other
expect_eq "another tenant has no jobs" 1 "$(echo "$out" | wc -l)"
run sl jobs --profile profile.yaml --kind deletion
expect_contains "the table names the deletion's reason" "erasure request" "$out"

# Nothing that must stay out: customer ids, the demo password and token, any scrypt hash.
for f in "$AUDIT" "$JOBS"; do
  for needle in 98765000 sightline-local-demo-password sightline-local-demo-token '$scrypt$' \
      5d4c94e792fcbc77096421fcbc047486950f4c3e28ea084253d9241f514e7686; do
    if grep -q -a -F -- "$needle" "$f"*; then fail "$(basename "$f") holds $needle"; else pass "$(basename "$f") has no $needle"; fi
  done
done
finish

# evaluator-columnar's snapshot files belong to the owner of the state folder (the account
# `serve` runs as): a command run by anyone else (an operator's `sightline segment eval` as
# themselves, or as root) reads them but never writes one, so it never leaves a file that
# `serve` cannot replace. Needs root (to hand the folder to another account); skipped otherwise.
source "$(dirname "$0")/common.sh"
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: needs root to give the state folder to another account"
  exit 77
fi
write_profile profile.yaml
sl() { "$SIGHTLINE" "$@"; }
sl generate --rows 2000 --customers 300 --seed 11 --output sales.csv
sl load --profile profile.yaml --tenant demo sales.csv >/dev/null
printf '{"id":"x","name":"x","rule":{"orders":{"min":2}}}' >def.json
count() { sl segment eval --profile profile.yaml --tenant demo --file def.json --count --as-of 2030-01-01T00:00:00Z 2>/dev/null; }
oracle=$(sl segment eval --profile profile.yaml --tenant demo --file def.json --count --as-of 2030-01-01T00:00:00Z --evaluator evaluator-sql 2>/dev/null)
snapshots() { find var/state/plugins -name '*.snapshot' | wc -l; }

expect_eq "the owner's command answers" "$oracle" "$(count)"
expect_eq "and writes the tenant's snapshot file" 1 "$(snapshots)"
mode=$(stat -c %a var/state/plugins/*/*.snapshot)
expect_eq "the file is the owner's alone" 600 "$mode"

# The state folder now belongs to another account, as when `serve` runs as sightline and an
# operator runs a command as root.
chown -R nobody var/state/plugins
expect_eq "another account's command answers beside the owner's file" "$oracle" "$(count)"
rm -f var/state/plugins/*/*.snapshot
expect_eq "another account's command still answers without a file" "$oracle" "$(count)"
expect_eq "but writes none" 0 "$(snapshots)"
check "and leaves nothing of its own in the folder" \
  test -z "$(find var/state/plugins -not -user nobody)"

chown -R root var/state/plugins
expect_eq "the owner's next command answers" "$oracle" "$(count)"
expect_eq "and writes the file again" 1 "$(snapshots)"
finish

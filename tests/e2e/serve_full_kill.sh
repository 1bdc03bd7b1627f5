# `serve` killed with SIGKILL while a full upload (the tenant's `full/` folder) replaces the
# tenant's data, at several points from the middle of the load to as close to its commit as the
# log and the archive let us see: after every kill the tenant holds all the old data or all the
# new, never a mix; after a restart the file is loaded, exactly once.
source "$(dirname "$0")/common.sh"
write_profile profile.yaml
ROWS=${SERVE_FULL_KILL_ROWS:-200000}
sl() { "$SIGHTLINE" "$@"; }
"$SIGHTLINE" generate --rows 20000 --customers 2000 --seed 1 --output old.csv
"$SIGHTLINE" generate --rows "$ROWS" --customers 20000 --seed 2 --output big.csv
sl load --profile profile.yaml --tenant demo old.csv >/dev/null
old=$(stats_json profile.yaml demo)
old_state="$(echo "$old" | json_get 'd["lines"]') $(echo "$old" | json_get 'd["revenue"]')"
# The new data: the big file's lines and the exact sum of their prices.
new_state="$ROWS $(python3 - <<'PY'
import csv, decimal
with open("big.csv", newline="") as f:
    print(sum(decimal.Decimal(r["price"]) for r in csv.DictReader(f)))
PY
)"
# Revenue texts compare as numbers: "12.50" and "12.5" are one amount.
state_is() { # state_is "LINES REVENUE" "LINES REVENUE"
  python3 -c 'import decimal,sys; a=sys.argv[1].split(); b=sys.argv[2].split(); sys.exit(not (a[0]==b[0] and decimal.Decimal(a[1])==decimal.Decimal(b[1])))' "$1" "$2"
}
now_state() { local s; s=$(stats_json profile.yaml demo); echo "$(echo "$s" | json_get 'd["lines"]') $(echo "$s" | json_get 'd["revenue"]')"; }
mkdir -p var/landing/demo/full
history=var/archive/demo/history.jsonl
entered() { grep -c '"name":"big.csv"' "$history" 2>/dev/null || true; }

# One run of serve with the big file pending, killed when `$1` (a command) succeeds, $2 seconds
# later. Prints "old", "new" or "mix".
kill_run() { # kill_run CONDITION DELAY
  entries_before=$(entered)
  "$SIGHTLINE" serve --profile profile.yaml --drain >/dev/null 2>&1 &  # the binary: its pid
  local pid=$!
  for _ in $(seq 1 3000); do
    if eval "$1"; then break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  sleep "$2"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local state
  state=$(now_state)
  if state_is "$state" "$old_state"; then echo old; elif state_is "$state" "$new_state"; then echo new; else echo "mix ($state)"; fi
}
# The archive's temporary (zstd) copy of the upload grows as the rows stream into the load.
streaming_half() { [ -n "$(find var/archive/demo/tmp -type f -size +$((ROWS / 200))k 2>/dev/null)" ]; }
# The archive's history gets the file's entry after the last row was streamed and just before the
# target commits (pipeline.cpp: archive first): from then on the load is in its commit.
in_commit() { [ "$(entered)" -gt "$entries_before" ]; }

cp big.csv var/landing/demo/full/big.csv  # once: pending until a run loads it
result=$(kill_run streaming_half 0)
expect_eq "killed half-way through the rows: all the old data" old "$result"
reached_new=""
last_old=""
for delay in 0 0.2 0.4 0.6 0.8 1 1.2 1.5 1.8 2.2 2.6 3 4 6 9; do
  [ -f var/landing/demo/full/big.csv ] || break
  result=$(kill_run in_commit "$delay")
  case "$result" in
    old) pass "killed ${delay}s into the commit: all the old data"; last_old=$delay ;;
    new) pass "killed ${delay}s into the commit: all the new data"; reached_new=$delay; break ;;
    *) fail "killed ${delay}s into the commit: $result" ; break ;;
  esac
done
check "some kill came after the commit (the walk reached the new data)" test -n "$reached_new"
echo "note: the commit landed between ${last_old:-?}s and ${reached_new:-?}s after the history entry"

pending=0
[ -f var/landing/demo/full/big.csv ] && pending=1
run sl serve --profile profile.yaml --drain
expect_eq "the restart exits 0" 0 "$code"
check "the file is no longer pending" test ! -f var/landing/demo/full/big.csv
check "after the restart: all the new data" state_is "$(now_state)" "$new_state"
loaded=$(stats_json profile.yaml demo | json_get 'sum(1 for f in d["files"] if f["name"] == "big.csv" and f["result"] == "loaded")')
# A kill after the commit but before intake-dir removed the file leaves it pending: the restart
# applies the same replacement again (a full upload is always applied), which changes no line.
expect_eq "the file is loaded exactly once (pending after the last kill: $pending)" $((1 + pending)) "$loaded"
finish

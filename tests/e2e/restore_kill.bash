# The body of restore_kill.sh (SQLite) and restore_kill_postgres.sh: `sightline restore --replace`
# killed with SIGKILL part-way, then rerun. Sourced after common.sh, with the profiles written:
#   profile.yaml  the tenant's deployment (archive var/archive)
#   extra.yaml    the same target, another archive (var/archive-extra)
# and beside_exists (a command: does the target hold a beside storage of tenant demo?).
#
# The old data differs from what a restore gives: one file is loaded through extra.yaml, whose
# archive the restore never reads. So "the old data" and "the archive's data" have different
# lines and revenue, and every check below tells them apart.
ROWS=${RESTORE_KILL_ROWS:-100000}  # per file; four files (RESTORE_KILL_ROWS=250000: 1M lines)
sl() { "$SIGHTLINE" "$@"; }
lines_of() { echo "$1" | json_get 'd["lines"]'; }
revenue_of() { echo "$1" | json_get 'd["revenue"]'; }

for i in 1 2 3 4; do sl generate --rows "$ROWS" --customers 20000 --seed "$i" --output "part$i.csv"; done
sl generate --rows 5000 --customers 500 --seed 9 --output extra.csv
sl load --profile profile.yaml --tenant demo part1.csv part2.csv part3.csv part4.csv >/dev/null
sl load --profile extra.yaml --tenant demo extra.csv >/dev/null
sl load --profile extra.yaml --tenant other extra.csv >/dev/null
old=$(stats_json profile.yaml demo)
extra=$(stats_json extra.yaml other)
old_lines=$(lines_of "$old")
old_revenue=$(revenue_of "$old")
new_lines=$((old_lines - $(lines_of "$extra")))
new_revenue=$(python3 -c 'import decimal,sys; print(decimal.Decimal(sys.argv[1]) - decimal.Decimal(sys.argv[2]))' \
  "$old_revenue" "$(revenue_of "$extra")")
check "the old data and the archive's differ" test "$old_lines" != "$new_lines"
cat >seg.json <<'JSON'
{"id":"spenders","name":"Spenders","rule":{"revenue":{"within_days":36500,"min":300}}}
JSON
segment_count() { sl segment eval --profile profile.yaml --tenant demo --file seg.json --count | tail -n 1; }
old_segment=$(segment_count)

# Starts the restore in the background; waits until its progress on standard error matches
# $1 (an extended regex), then kills it with SIGKILL. Fails the test if it finished first.
restore_killed_at() { # restore_killed_at REGEX WHAT
  : >restore.err
  # The binary itself in the background (not through a shell function, whose subshell would be
  # what gets killed).
  "$SIGHTLINE" restore --profile profile.yaml --tenant demo --replace --reason "kill drill" \
    --progress >restore.out 2>restore.err &
  local pid=$! seen=""
  for _ in $(seq 1 3000); do
    if tr '\r' '\n' <restore.err | grep -Eq "$1"; then seen=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  kill -9 "$pid" 2>/dev/null || true
  local status=0
  wait "$pid" 2>/dev/null || status=$?
  check "the restore was killed $2 (exit status $status; progress: $(tr '\r' '\n' <restore.err | tail -n 1))" \
    test -n "$seen" -a "$status" -eq 137 -a ! -s restore.out
}

# 1. Killed in the middle of the replay: two of the four files replayed, the third under way.
restore_killed_at 'replay: entry 3 of [0-9]+, +[1-9][0-9]?%' "during the replay"
now=$(stats_json profile.yaml demo)
expect_eq "after a kill during the replay: all the old lines" "$old_lines" "$(lines_of "$now")"
expect_eq "after a kill during the replay: all the old revenue" "$old_revenue" "$(revenue_of "$now")"
expect_eq "after a kill during the replay: the old files" 5 "$(echo "$now" | json_get 'len(d["files"])')"
expect_eq "after a kill during the replay: the same segment count" "$old_segment" "$(segment_count)"
check "the killed run left its beside storage" beside_exists

# 2. Two restores of the tenant at once: the second is refused and changes nothing (it would
# discard the first one's beside storage).
"$SIGHTLINE" restore --profile profile.yaml --tenant demo --replace --reason "first" --progress \
  >first.out 2>first.err &
first=$!
for _ in $(seq 1 3000); do
  tr '\r' '\n' <first.err | grep -q '^replay:' && break
  kill -0 "$first" 2>/dev/null || break
  sleep 0.01
done
run sl restore --profile profile.yaml --tenant demo --replace --reason "second"
expect_eq "a second restore of the tenant at once exits 1" 1 "$code"
expect_contains "it says why" "another restore of tenant 'demo' is running" "$out"
kill -9 "$first" 2>/dev/null || true
wait "$first" 2>/dev/null || true
expect_eq "after both: all the old lines" "$old_lines" "$(lines_of "$(stats_json profile.yaml demo)")"

# 3. Killed as the swap starts (the replay done): all old or all new, never a mix.
restore_killed_at '^swap:' "at the swap"
now=$(stats_json profile.yaml demo)
state="$(lines_of "$now") $(revenue_of "$now")"
if [ "$state" == "$old_lines $old_revenue" ]; then
  pass "after a kill at the swap: all the old data ($state)"
elif [ "$state" == "$new_lines $new_revenue" ]; then
  pass "after a kill at the swap: all the new data ($state)"
else
  fail "after a kill at the swap: a mix ($state; old $old_lines $old_revenue, new $new_lines $new_revenue)"
fi

# 4. The rerun discards what the killed runs left and finishes with the archive's data.
run sl restore --profile profile.yaml --tenant demo --replace --reason "after the kill" --json
expect_eq "the rerun exits 0" 0 "$code"
expect_contains "the rerun warns of nothing" '"warnings": []' "$out"
now=$(stats_json profile.yaml demo)
expect_eq "after the rerun: the archive's lines" "$new_lines" "$(lines_of "$now")"
expect_eq "after the rerun: the archive's revenue" "$new_revenue" "$(revenue_of "$now")"
expect_eq "after the rerun: the archive's four files" 4 "$(echo "$now" | json_get 'len(d["files"])')"
check "after the rerun: no beside storage is left" bash -c "! beside_exists"
check "the log has the swap" grep -q '"event":"restore.swapped"' var/log/sightline.log

# Shared helpers for the end-to-end scripts. Each script runs in its own temporary folder.
set -euo pipefail
: "${SIGHTLINE:?set by ctest}" "${BUILD_DIR:?}" "${SOURCE_DIR:?}" "${PLUGIN_DIR:?}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sightline-e2e.XXXXXX")
chmod 700 "$WORK"
cleanup() { [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"; }
trap cleanup EXIT
cd "$WORK"

failures=0
passes=0
pass() { passes=$((passes + 1)); echo "ok   $*"; }
fail() { failures=$((failures + 1)); echo "FAIL $*"; }
check() { # check "what" command...
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
expect_eq() { # expect_eq "what" expected actual
  if [ "$2" == "$3" ]; then pass "$1"; else fail "$1: expected [$2], got [$3]"; fi
}
expect_contains() { # expect_contains "what" needle haystack
  if [[ "$3" == *"$2"* ]]; then pass "$1"; else fail "$1: [$2] not found in: $3"; fi
}
# Runs a command, capturing stdout+stderr in $out and the exit code in $code.
run() { set +e; out=$("$@" 2>&1); code=$?; set -e; }
finish() {
  echo "$passes passed, $failures failed"
  [ "$failures" -eq 0 ]
}

# A profile like profiles/local.yaml, rooted in $WORK.
# TARGET, when set, replaces the target section's body (two-space indented lines).
write_profile() { # write_profile FILE
  local target=${TARGET:-"  plugin: target-sqlite
  config: {dir: $WORK/var/db}"}
  cat >"$1" <<YAML
version: 1
state_dir: $WORK/var/state
log: {format: json, level: info, file: $WORK/var/log/sightline.log}
archive:
  plugin: archive-fs
  config: {root: $WORK/var/archive}
target:
$target
transports:
  - plugin: intake-dir
    config: {root: $WORK/var/landing, poll_interval_ms: 50}
tenants:
  - id: demo
  - id: other
YAML
}

stats_json() { "$SIGHTLINE" tenant stats --profile "$1" --tenant "$2" --json; }
json_get() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

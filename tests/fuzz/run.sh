#!/usr/bin/env bash
# Builds the libFuzzer targets (build/fuzz, clang-15) and runs them.
#
#   tests/fuzz/run.sh [--ci] [--minutes N | --seconds S] [--jobs J] [target...]
#
# For each target (default: every folder of tests/fuzz with a fuzz_<name>.cpp), in parallel up to
# J at a time (default: the number of CPUs):
#   1. replays every seed (corpus/) and regression input (regressions/) once: a crash there fails;
#   2. fuzzes for the given time (default 60 s; --ci: 15 s) with the target's dict, into a working
#      corpus build/fuzz/corpus/<name>/ seeded from the repository's (which is never written),
#      crash artifacts into build/fuzz/crashes/<name>/, the log into build/fuzz/logs/<name>.log.
# Prints one summary line per target; exits nonzero when any target crashed or failed to build.
# Environment: SIGHTLINE_FUZZ_BUILD (build folder, default build/fuzz), CC/CXX (default clang-15).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${SIGHTLINE_FUZZ_BUILD:-$root/build/fuzz}"

seconds=60
seconds_given=0
jobs="$(nproc)"
ci=0
targets=()
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) seconds=$(( $2 * 60 )); seconds_given=1; shift 2 ;;
    --seconds) seconds="$2"; seconds_given=1; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --ci) ci=1; shift ;;
    -h|--help) usage ;;
    -*) echo "run.sh: unknown option $1" >&2; usage ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ "$ci" = 1 ] && [ "$seconds_given" = 0 ]; then seconds=15; fi
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || { echo "run.sh: bad time" >&2; exit 2; }
[[ "$jobs" =~ ^[0-9]+$ ]] && [ "$jobs" -gt 0 ] || { echo "run.sh: bad --jobs" >&2; exit 2; }

if [ ${#targets[@]} -eq 0 ]; then
  for dir in "$here"/*/; do
    name="$(basename "$dir")"
    [ -f "$dir/fuzz_$name.cpp" ] && targets+=("$name")
  done
fi
for name in "${targets[@]}"; do
  [ -f "$here/$name/fuzz_$name.cpp" ] || { echo "run.sh: no fuzz target '$name'" >&2; exit 2; }
done

# Configure once (clang for this tree only; the other build trees keep their compiler).
started=$SECONDS
if [ ! -f "$build/build.ninja" ]; then
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  CC="${CC:-clang-15}" CXX="${CXX:-clang++-15}" cmake -S "$root" -B "$build" -G Ninja \
    -DSIGHTLINE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIGHTLINE_BUILD_BENCHMARKS=OFF \
    "${launcher[@]}" >"$build.configure.log" 2>&1 ||
    { cat "$build.configure.log" >&2; echo "run.sh: configure failed" >&2; exit 1; }
fi
build_targets=()
for name in "${targets[@]}"; do build_targets+=("fuzz_$name"); done
cmake --build "$build" --target "${build_targets[@]}" -j "$jobs" >"$build/fuzz-build.log" 2>&1 ||
  { tail -50 "$build/fuzz-build.log" >&2; echo "run.sh: build failed" >&2; exit 1; }
echo "fuzz: built ${#targets[@]} target(s) in $(( SECONDS - started )) s; fuzzing each for ${seconds} s, ${jobs} at a time"

# Readable stack traces: ASan needs an llvm-symbolizer it can run.
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
  for s in llvm-symbolizer-15 llvm-symbolizer llvm-symbolizer-14; do
    if command -v "$s" >/dev/null; then
      export ASAN_SYMBOLIZER_PATH="$(readlink -f "$(command -v "$s")")"
      break
    fi
  done
fi
# Leaks are findings too (LeakSanitizer runs at the end of each input's process and, in libFuzzer,
# after inputs that allocate more than they free).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# The files of a folder that are inputs (notes such as README and dotfiles are not).
inputs_of() {
  [ -d "$1" ] || return 0
  find "$1" -type f ! -name '.*' ! -name 'README*' -print0
}

# Runs one target; writes its summary line to $build/summary/<name> and returns nonzero on a crash.
fuzz_one() {
  local name="$1"
  local bin="$build/bin/fuzz_$name" src="$here/$name"
  local corpus="$build/corpus/$name" crashes="$build/crashes/$name" log="$build/logs/$name.log"
  local summary="$build/summary/$name"
  mkdir -p "$corpus" "$crashes" "$build/logs" "$build/summary"
  local dict=()
  [ -f "$src/dict" ] && dict=(-dict="$src/dict")
  local before
  before="$(find "$crashes" -type f | wc -l)"
  touch "$log.start"
  rm -f "$log.rerun"

  # 1. Every seed and regression input once.
  local replay=()
  mapfile -d '' replay < <(inputs_of "$src/corpus"; inputs_of "$src/regressions")
  if [ ${#replay[@]} -gt 0 ]; then
    if ! "$bin" -timeout=10 -rss_limit_mb=2048 "${replay[@]}" >"$build/logs/$name.replay.log" 2>&1; then
      echo "$name: FAILED replaying the seeds and regressions (see $build/logs/$name.replay.log)" >"$summary"
      return 1
    fi
  fi

  # 2. Fuzz. The working corpus comes first: libFuzzer writes new inputs only there.
  local seeds=()
  for dir in "$src/corpus" "$src/regressions"; do [ -d "$dir" ] && seeds+=("$dir"); done
  # CI fuzzes from a fixed seed, so that a run on a slower or faster machine replays a prefix of
  # the same mutations a longer run here has already passed.
  local fixed_seed=()
  [ "$ci" = 1 ] && fixed_seed=(-seed=1)
  local status=0
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "${fixed_seed[@]}" "${dict[@]}" -artifact_prefix="$crashes/" "$corpus" "${seeds[@]}" \
    >"$log" 2>&1 || status=$?

  local execs rate cov ft corpus_size found
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
  ft="$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
  corpus_size="$(find "$corpus" -type f | wc -l)"
  found=$(( $(find "$crashes" -type f | wc -l) - before ))
  if [ "$status" -ne 0 ] && [ "$found" -eq 0 ]; then found=1; fi
  # A finding counts when its input fails again on its own. One that does not (a timeout on a
  # loaded machine, state left by earlier inputs) is reported, with its input kept, but does
  # not fail the run.
  local unconfirmed=0 artifact
  if [ "$found" -gt 0 ]; then
    found=0
    while IFS= read -r -d '' artifact; do
      if "$bin" -timeout=30 -rss_limit_mb=2048 "$artifact" >>"$log.rerun" 2>&1; then
        unconfirmed=$(( unconfirmed + 1 ))
      else
        found=$(( found + 1 ))
      fi
    done < <(find "$crashes" -type f -newer "$log.start" -print0)
    # Failed without leaving an input (it did not start, or died outside an input): a failure.
    [ "$status" -ne 0 ] && [ $(( found + unconfirmed )) -eq 0 ] && found=1
  fi
  local verdict="ok"
  [ "$unconfirmed" -gt 0 ] && verdict="ok ($unconfirmed finding(s) that did not fail again alone: $crashes, $log)"
  [ "$found" -gt 0 ] && verdict="CRASHED (exit $status; $crashes, $log)"
  printf '%s: execs=%s exec/s=%s cov=%s ft=%s corpus=%s crashes=%s %s\n' "$name" \
    "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$corpus_size" "$found" "$verdict" >"$summary"
  [ "$found" -eq 0 ]
}

rm -f "$build/summary/"* 2>/dev/null || true
failed=0
running=0
for name in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$(( running - 1 ))
  fi
  fuzz_one "$name" &
  running=$(( running + 1 ))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$(( running - 1 ))
done

for name in "${targets[@]}"; do
  cat "$build/summary/$name" 2>/dev/null || { echo "$name: no result"; failed=1; }
done
echo "fuzz: $([ "$failed" = 0 ] && echo passed || echo FAILED) in $(( SECONDS - started )) s"
exit "$failed"

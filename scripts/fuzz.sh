#!/usr/bin/env bash
# Builds the engine's libFuzzer targets (fuzz/) with clang under ASan+UBSan and runs each briefly
# from a seed corpus made of the real files (fuzz/make_seeds.mjs). Called by scripts/test.sh.
#   KINDBAND_FUZZ_SECONDS  seconds per target (default 6)
#   KINDBAND_FUZZ_BUILD    build folder (default build/fuzz); its corpus/ grows from run to run
#   KINDBAND_FUZZ_BUILD_ONLY=1  only build the targets (scripts/test.sh builds them in its build lane)
# A finding stops the script with the fuzzer's report; the input is kept in BUILD/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${KINDBAND_FUZZ_SECONDS:-6}
build=${KINDBAND_FUZZ_BUILD:-build/fuzz}
for tool in clang clang++ node; do
  command -v "$tool" >/dev/null || {
    echo "scripts/fuzz.sh: $tool is missing: run scripts/install-deps.sh" >&2
    exit 1
  }
done

flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="$flags" -DKINDBAND_PARTS=fuzz "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)" --target kindband_fuzz_targets >/dev/null
[ "${KINDBAND_FUZZ_BUILD_ONLY:-0}" = 1 ] && exit 0

node fuzz/make_seeds.mjs "$build/seeds"
mkdir -p "$build/artifacts"
# The targets run side by side, as many at once as there are cores (each fuzzer is one process).
fuzz_target() {
  local target=$1 log="$build/$1.log"
  mkdir -p "$build/corpus/$target"
  # New inputs go to corpus/ (first folder); the seeds are read fresh each run.
  "$build/fuzz/kindband_fuzz_$target" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
    "$build/corpus/$target" "$build/seeds/$target" >"$log" 2>&1
}
targets=(json_reader instrument_loader score_advise engine_calls)
jobs=$(nproc)
status=0
for ((first = 0; first < ${#targets[@]}; first += jobs)); do
  batch=("${targets[@]:first:jobs}")
  pids=()
  for target in "${batch[@]}"; do
    fuzz_target "$target" &
    pids+=($!)
  done
  for index in "${!batch[@]}"; do
    target=${batch[$index]}
    log="$build/$target.log"
    if ! wait "${pids[$index]}"; then
      tail -n 60 "$log" >&2
      echo "scripts/fuzz.sh: $target found a problem (input in $build/artifacts/)" >&2
      status=1
      continue
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz $target: ${runs:-?} runs in ${seconds} s, no finding"
  done
done
exit $status

#!/usr/bin/env bash
# Runs the response fuzz target (test/fuzz/response_fuzz.cpp) with libFuzzer under AddressSanitizer
# and UndefinedBehaviorSanitizer for SECONDS seconds (default 60), seeded with test/fuzz/corpus.
# New inputs go to build/fuzz/corpus (not to the repository); a crash leaves its input in
# build/fuzz/artifacts and makes the script fail. Needs clang with libFuzzer (Debian: clang,
# whose libclang-rt includes libclang_rt.fuzzer).
#
#   scripts/fuzz.sh 300          # five minutes
#   JOBS=2 scripts/fuzz.sh 600   # more compile parallelism
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build/fuzz"
jobs="${JOBS:-2}"

command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ not found (apt-get install clang)" >&2; exit 1; }

sanitizers="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_CXX_FLAGS="$sanitizers -fsanitize=fuzzer-no-link" \
    -DCMAKE_EXE_LINKER_FLAGS="$sanitizers" \
    -DDYNANTIC_BUILD_TESTS=OFF -DDYNANTIC_BUILD_EXAMPLES=OFF -DDYNANTIC_INSTALL=OFF \
    -DDYNANTIC_BUILD_FUZZERS=ON >/dev/null
cmake --build "$build" --target dynantic_response_fuzzer -j "$jobs"

mkdir -p "$build/corpus" "$build/artifacts"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
"$build/test/fuzz/dynantic_response_fuzzer" \
    -max_total_time="$seconds" -print_final_stats=1 -max_len=65536 -timeout=10 \
    -artifact_prefix="$build/artifacts/" \
    "$build/corpus" "$root/test/fuzz/corpus/response"

#!/usr/bin/env bash
# Builds everything and runs the test suite (unit + integration against DynamoDB Local).
#
#   scripts/test.sh                      preset `default`
#   scripts/test.sh -L unit              extra arguments go to ctest
#   DYNANTIC_PRESET=asan scripts/test.sh (or tsan)
#   DYNANTIC_TEST_ENDPOINT=URL scripts/test.sh   use a running server (also AWS_ENDPOINT_URL_DYNAMODB,
#                                        AWS_ENDPOINT_URL) instead of starting DynamoDB Local
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/common.sh
source scripts/lib/common.sh
dy_cleanup_on_exit

preset="${DYNANTIC_PRESET:-default}"

dy_install_deps
dy_build "$preset" -DDYNANTIC_BUILD_TESTS=ON -DDYNANTIC_BUILD_EXAMPLES=ON
if [[ -z "${DYNANTIC_TEST_ENDPOINT:-}${AWS_ENDPOINT_URL_DYNAMODB:-}${AWS_ENDPOINT_URL:-}" ]]; then
  dy_fetch_dynamodb_local
fi
dy_start_dynamodb_local
export DYNANTIC_REQUIRE_INTEGRATION=1

runner=()
if [[ "$preset" == tsan ]] && command -v setarch >/dev/null 2>&1 && setarch "$(uname -m)" -R true 2>/dev/null; then
  # ThreadSanitizer cannot map its shadow memory with the high ASLR entropy of recent kernels.
  runner=(setarch "$(uname -m)" -R)
fi

dy_log "tests: ctest --preset $preset $*"
status=0
"${runner[@]}" ctest --preset "$preset" -j"$DY_JOBS" --output-on-failure --timeout 300 "$@" </dev/null || status=$?
if [[ $status -eq 0 ]]; then
  dy_log "tests: passed"
else
  dy_log "tests: FAILED (ctest status $status)"
fi
exit "$status"

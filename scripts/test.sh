#!/usr/bin/env bash
# Builds everything and runs the test suite (unit + integration against DynamoDB Local).
#
#   scripts/test.sh                      preset `default`
#   scripts/test.sh -L unit              extra arguments go to ctest
#   DYNANTIC_PRESET=asan scripts/test.sh (or tsan)
#   DYNANTIC_SKIP_LAMBDA=1 scripts/test.sh   skip building the static Lambda bootstrap (preset
#                                        `lambda`); its tests then skip
#   DYNANTIC_BUILD_TARGETS="a b" scripts/test.sh -L unit   build only these targets (the tests of
#                                        executables not built are not run: select them away)
#   DYNANTIC_TEST_ENDPOINT=URL scripts/test.sh   use a running server (also AWS_ENDPOINT_URL_DYNAMODB,
#                                        AWS_ENDPOINT_URL) instead of starting DynamoDB Local
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/common.sh
source scripts/lib/common.sh
dy_cleanup_on_exit

preset="${DYNANTIC_PRESET:-default}"

dy_install_deps
if [[ -n "${DYNANTIC_BUILD_TARGETS:-}" ]]; then
  read -ra DY_BUILD_TARGETS <<<"$DYNANTIC_BUILD_TARGETS"
fi
dy_build "$preset" -DDYNANTIC_BUILD_TESTS=ON -DDYNANTIC_BUILD_EXAMPLES=ON
DY_BUILD_TARGETS=()
# The Lambda example built as example/lambda/README.md says (preset `lambda`: fully static,
# MinSizeRel), for the integration tests LambdaStaticBootstrap* that run it against a loopback
# Runtime API and DynamoDB Local. A build step, not a test: it is a second configuration of the
# library (~5 min on 2 cores with a cold ccache, seconds when warm) whose compiler output belongs
# in the build log, and a test running a build would race ctest -j for the cores and its timeout.
# Only with the default preset: a sanitizer runtime cannot be linked fully statically, and the
# sanitizer runs are about the library. DYNANTIC_SKIP_LAMBDA=1 leaves it out (the tests skip).
if [[ "$preset" == default && "${DYNANTIC_SKIP_LAMBDA:-0}" != 1 ]]; then
  dy_build lambda
  export DYNANTIC_LAMBDA_BOOTSTRAP="$PWD/build/lambda/example/lambda/bootstrap"
  export DYNANTIC_REQUIRE_LAMBDA_BOOTSTRAP=1
fi
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

#!/usr/bin/env bash
# Builds the library and runs an example program (default: example/quickstart) against DynamoDB.
#
#   scripts/demo.sh                         DynamoDB Local (downloaded once, started and stopped)
#   scripts/demo.sh single_table            another example from example/ (its file name without .cpp)
#   AWS_ENDPOINT_URL_DYNAMODB=URL scripts/demo.sh   an existing server (also AWS_ENDPOINT_URL)
#   DYNANTIC_USE_AWS=1 scripts/demo.sh      real AWS with your credentials and region (charges may apply)
#
# DYNANTIC_DEMO_TIMEOUT (seconds, default 120) bounds the quickstart's run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/common.sh
source scripts/lib/common.sh
dy_cleanup_on_exit

dy_install_deps
dy_build default -DDYNANTIC_BUILD_TESTS=OFF -DDYNANTIC_BUILD_EXAMPLES=ON

example="${1:-quickstart}"
[[ "$example" =~ ^[A-Za-z0-9_]+$ ]] || dy_die "usage: scripts/demo.sh [example name]"
quickstart=build/default/example/$example
[[ -x "$quickstart" ]] || dy_die "$quickstart was not built (examples: $(ls example/*.cpp | xargs -n1 basename | sed 's/\.cpp$//' | tr '\n' ' '))"

if [[ -n "${AWS_ENDPOINT_URL_DYNAMODB:-}" || -n "${AWS_ENDPOINT_URL:-}" ]]; then
  dy_log "DynamoDB: using endpoint ${AWS_ENDPOINT_URL_DYNAMODB:-${AWS_ENDPOINT_URL}}"
elif [[ "${DYNANTIC_USE_AWS:-}" == 1 ]]; then
  dy_log "DynamoDB: DYNANTIC_USE_AWS=1, using REAL AWS (your credentials; charges may apply)," \
    "region ${AWS_REGION:-${AWS_DEFAULT_REGION:-from your AWS config}}"
else
  # DYNANTIC_TEST_ENDPOINT is for the tests; the demo starts its own server.
  unset DYNANTIC_TEST_ENDPOINT
  dy_fetch_dynamodb_local
  dy_start_dynamodb_local
fi

dy_log "running $quickstart"
status=0
timeout --kill-after=10 "${DYNANTIC_DEMO_TIMEOUT:-120}" "$quickstart" </dev/null || status=$?
if [[ $status -eq 124 ]]; then
  dy_log "quickstart timed out after ${DYNANTIC_DEMO_TIMEOUT:-120} s"
elif [[ $status -eq 0 ]]; then
  dy_log "quickstart finished"
else
  dy_log "quickstart failed (status $status)"
fi
exit "$status"

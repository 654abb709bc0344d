#!/bin/sh
# Runs an example program against the test endpoint, never against AWS:
#   DYNANTIC_TEST_ENDPOINT=http://127.0.0.1:PORT sh run_example.sh build/default/example/quickstart
# Without DYNANTIC_TEST_ENDPOINT it exits 77 (skipped), or 1 when DYNANTIC_REQUIRE_INTEGRATION=1.
set -eu
if [ -z "${DYNANTIC_TEST_ENDPOINT:-}" ]; then
  if [ "${DYNANTIC_REQUIRE_INTEGRATION:-}" = 1 ]; then
    echo "run_example.sh: DYNANTIC_TEST_ENDPOINT is not set" >&2
    exit 1
  fi
  echo "run_example.sh: skipped, DYNANTIC_TEST_ENDPOINT is not set"
  exit 77
fi
export AWS_ENDPOINT_URL_DYNAMODB="$DYNANTIC_TEST_ENDPOINT"
unset AWS_ENDPOINT_URL AWS_PROFILE
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-local}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-local}"
export AWS_REGION="${AWS_REGION:-us-east-1}"
exec "$@" </dev/null

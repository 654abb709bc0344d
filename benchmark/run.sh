#!/usr/bin/env bash
# Builds the benchmarks (preset `bench`), starts what they measure against and prints the results
# table with every ratio and the budget verdicts (see docs/performance.md).
#
#   benchmark/run.sh                 everything, about 5 minutes once built
#   benchmark/run.sh --quick         one loopback round, shorter runs (about 2 minutes)
#   benchmark/run.sh --plot          also draw the PNG (gnuplot-nox, installed when missing)
#
# What it starts, each on a free loopback port, all stopped on exit (also on Ctrl-C):
#   - DynamoDB Local (scripts/lib/common.sh), unless DYNANTIC_BENCH_SKIP_DYNAMODB=1;
#   - nginx (Debian's nginx-light) with a generated configuration in a temporary directory,
#     `daemon off` as a child process: fixed DynamoDB responses (benchmark/fixtures/responses)
#     chosen by X-Amz-Target, with x-amz-crc32, over http and https; and https in front of
#     DynamoDB Local (a local CA and a certificate for 127.0.0.1 made with `openssl`).
# Installs (apt-get, only when missing): the build dependencies, wrk, nginx-light.
#
# Environment:
#   DYNANTIC_BENCH_BUILD_DIR   build directory (default build/bench)
#   DYNANTIC_BENCH_OUT         where the raw results and the table go (default <build>/results)
#   DYNANTIC_BENCH_ROUNDS      loopback rounds, each wrk + dynantic + raw floor per operation (default 3)
#   DYNANTIC_BENCH_WRK_SECONDS duration of each wrk run (default 5)
#   DYNANTIC_BENCH_SKIP_DYNAMODB=1   skip DynamoDB Local
#   DYNANTIC_JOBS              build parallelism (default 2)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/common.sh
source scripts/lib/common.sh
dy_cleanup_on_exit

quick=0
plot=0
for arg in "$@"; do
  case "$arg" in
  --quick) quick=1 ;;
  --plot) plot=1 ;;
  -h | --help)
    sed -n '2,24p' "$0"
    exit 0
    ;;
  *) dy_die "unknown argument: $arg (see --help)" ;;
  esac
done

rounds="${DYNANTIC_BENCH_ROUNDS:-3}"
wrk_seconds="${DYNANTIC_BENCH_WRK_SECONDS:-5}"
client_seconds=2      # Google Benchmark --benchmark_min_time of each loopback run
cpu_seconds=0.5       # ... of each CPU and in-process case (3 repetitions)
cold_runs=20
if [[ $quick -eq 1 ]]; then
  rounds=1
  wrk_seconds=3
  client_seconds=1
  cpu_seconds=0.2
fi

build="${DYNANTIC_BENCH_BUILD_DIR:-build/bench}"
out="${DYNANTIC_BENCH_OUT:-$build/results}"
fixtures="$PWD/benchmark/fixtures"

# ---- dependencies and build ------------------------------------------------------------------
dy_install_deps
install_if_missing() { # command package
  command -v "$1" >/dev/null 2>&1 && return 0
  dy_log "installing $2 (apt-get)"
  dy_as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 update >/dev/null
  dy_as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 \
    install --no-install-recommends "$2" >/dev/null
}
install_if_missing wrk wrk
PATH="$PATH:/usr/sbin"
install_if_missing nginx nginx-light
[[ $plot -eq 1 ]] && install_if_missing gnuplot gnuplot-nox

dy_log "build: $build (preset bench, Release)"
cmake --preset bench -B "$build" -DDYNANTIC_BUILD_TESTS=OFF -DDYNANTIC_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j"$DY_JOBS" --target dynantic_benchmarks dynantic_bench_report cold_start dynantic_cold_start_fixed \
  dynantic_cold_start_c
# The client's cold start linked statically (as the `lambda` preset links the bootstrap), when the
# static archives are there (benchmark/CMakeLists.txt).
if cmake --build "$build" --target help | grep -q '^dynantic_cold_start_fixed_static:'; then
  cmake --build "$build" -j"$DY_JOBS" --target dynantic_cold_start_fixed_static
fi
bench="$build/benchmark/dynantic_benchmarks"
rm -rf "$out"
mkdir -p "$out"

# ---- DynamoDB Local ---------------------------------------------------------------------------
dynamodb=""
if [[ "${DYNANTIC_BENCH_SKIP_DYNAMODB:-0}" != 1 ]]; then
  # Never an endpoint from the environment: the benchmark creates and fills table "bench".
  unset DYNANTIC_TEST_ENDPOINT AWS_ENDPOINT_URL_DYNAMODB AWS_ENDPOINT_URL
  dy_fetch_dynamodb_local
  dy_start_dynamodb_local
  dynamodb="$DYNANTIC_TEST_ENDPOINT"
fi

# ---- the fixed-response server ---------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/dynantic-bench.XXXXXX")"
DY_TEMP_DIRS+=("$work")
chmod 755 "$work"
mkdir -p "$work/html/responses" "$work/logs" "$work/tls"
cp "$fixtures"/responses/*.json "$work/html/responses/"

# CRC-32 of a file, as x-amz-crc32 carries it (gzip's trailer holds it, little-endian).
crc32_of() { gzip -c <"$1" | tail -c8 | od -An -tu4 -N4 | tr -d ' \n'; }

# A local CA and a certificate for 127.0.0.1 signed by it (RSA 2048, as AWS's endpoints use).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=dynantic benchmark CA" \
  -keyout "$work/tls/ca.key" -out "$work/tls/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$work/tls/server.key" -out "$work/tls/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$work/tls/ext.cnf"
openssl x509 -req -in "$work/tls/server.csr" -CA "$work/tls/ca.pem" -CAkey "$work/tls/ca.key" \
  -CAcreateserial -days 2 -extfile "$work/tls/ext.cnf" -out "$work/tls/server.pem" 2>/dev/null

# The system store plus the local CA, for the cold starts on the system store: a hashed
# directory (SSL_CERT_DIR) with the system's hashed names and one for the local CA; and the
# system bundle plus the local CA in one file, for the cold start with AWS_CA_BUNDLE.
mkdir -p "$work/tls/certs"
for f in /etc/ssl/certs/*; do
  [[ "$(basename "$f")" =~ ^[0-9a-f]{8}\.[0-9]+$ ]] && ln -s "$(readlink -f "$f")" "$work/tls/certs/$(basename "$f")"
done
ca_hash="$(openssl x509 -hash -noout -in "$work/tls/ca.pem")"
for ((n = 0; n < 10; n++)); do
  [[ -e "$work/tls/certs/$ca_hash.$n" ]] || { cp "$work/tls/ca.pem" "$work/tls/certs/$ca_hash.$n"; break; }
done
cat /etc/ssl/certs/ca-certificates.crt "$work/tls/ca.pem" >"$work/tls/system-and-local.pem" 2>/dev/null ||
  cp "$work/tls/ca.pem" "$work/tls/system-and-local.pem"

port="$(dy_free_port)"
tls_fixed_port="$(dy_free_port)"
while [[ "$tls_fixed_port" == "$port" ]]; do tls_fixed_port="$(dy_free_port)"; done
tls_port="$(dy_free_port)"
while [[ "$tls_port" == "$port" || "$tls_port" == "$tls_fixed_port" ]]; do tls_port="$(dy_free_port)"; done
tls_block=""
if [[ -n "$dynamodb" ]]; then
  tls_block="  # https in front of DynamoDB Local (for the cold start over https): TLS terminated here.
  upstream dynamodb { server ${dynamodb#http://}; keepalive 8; }
  server {
    listen 127.0.0.1:$tls_port ssl;
    ssl_certificate $work/tls/server.pem;
    ssl_certificate_key $work/tls/server.key;
    location / {
      proxy_pass http://dynamodb;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
    }
  }"
fi
cat >"$work/nginx.conf" <<EOF
# Generated by benchmark/run.sh: fixed DynamoDB responses by X-Amz-Target.
worker_processes 1;
master_process off;
daemon off;
pid $work/nginx.pid;
error_log $work/logs/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $work/tmp_body;
  proxy_temp_path $work/tmp_proxy;
  fastcgi_temp_path $work/tmp_fastcgi;
  uwsgi_temp_path $work/tmp_uwsgi;
  scgi_temp_path $work/tmp_scgi;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  etag off;
  server_tokens off;
  map \$http_x_amz_target \$dy_op {
    default Unknown;
    DynamoDB_20120810.GetItem GetItem;
    DynamoDB_20120810.PutItem PutItem;
    DynamoDB_20120810.Query Query;
    DynamoDB_20120810.BatchWriteItem BatchWriteItem;
  }
  map \$dy_op \$dy_crc32 {
    default 0;
    GetItem $(crc32_of "$fixtures/responses/GetItem.json");
    PutItem $(crc32_of "$fixtures/responses/PutItem.json");
    Query $(crc32_of "$fixtures/responses/Query.json");
    BatchWriteItem $(crc32_of "$fixtures/responses/BatchWriteItem.json");
  }
  server {
    listen 127.0.0.1:$port;
    root $work/html;
    default_type application/x-amz-json-1.0;
    # POST / -> responses/<Operation>.json. The static module answers POST with 405; the
    # error_page turns that into the file with status 200.
    location = / { rewrite ^ /responses/\$dy_op.json last; }
    location /responses/ {
      internal;
      error_page 405 =200 \$uri;
      add_header x-amzn-RequestId BENCHREQUESTID000000000000000000000000000000000000 always;
      add_header x-amz-crc32 \$dy_crc32 always;
    }
  }
  # The same over https (for the client's cold start over https): TLS terminated here, proxied
  # to the server above over a keep-alive connection.
  upstream fixed { server 127.0.0.1:$port; keepalive 8; }
  server {
    listen 127.0.0.1:$tls_fixed_port ssl;
    ssl_certificate $work/tls/server.pem;
    ssl_certificate_key $work/tls/server.key;
    location / {
      proxy_pass http://fixed;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
$tls_block
}
EOF
nginx -p "$work" -c "$work/nginx.conf" -e "$work/logs/error.log" </dev/null >"$work/logs/stdout.log" 2>&1 &
DY_STARTED_PIDS+=("$!")
loopback="http://127.0.0.1:$port"
for ((i = 0; i < 50; i++)); do
  curl -s -o /dev/null -X POST -H 'X-Amz-Target: DynamoDB_20120810.PutItem' --data '{}' "$loopback/" && break
  sleep 0.1
done
loopback_tls="https://127.0.0.1:$tls_fixed_port"
code="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$work/tls/ca.pem" -X POST \
  -H 'X-Amz-Target: DynamoDB_20120810.GetItem' --data '{}' "$loopback_tls/")" || true
[[ "$code" == 200 ]] || {
  cat "$work/logs/error.log" >&2
  dy_die "the fixed-response nginx did not answer on $loopback_tls (HTTP $code)"
}
dynamodb_tls=""
[[ -n "$dynamodb" ]] && dynamodb_tls="https://127.0.0.1:$tls_port"
dy_log "nginx: fixed responses on $loopback and $loopback_tls${dynamodb_tls:+, https in front of DynamoDB Local on $dynamodb_tls} (config: $work/nginx.conf)"

# ---- measurements -----------------------------------------------------------------------------
run_bench() { # output-name filter min-time [extra args]
  local name="$1" filter="$2" min_time="$3"
  shift 3
  dy_log "benchmarks: $filter"
  DYNANTIC_BENCH_LOOPBACK="$loopback" DYNANTIC_BENCH_DYNAMODB="$dynamodb" \
    "$bench" --benchmark_filter="$filter" --benchmark_min_time="$min_time" \
    --benchmark_out="$out/$name.json" --benchmark_out_format=json "$@" >>"$out/console.txt" 2>&1 ||
    dy_warn "dynantic_benchmarks failed for $filter (see $out/console.txt)"
}

# Cold start first, while the servers are otherwise idle: exec to the first answered GetItem,
# median of $cold_runs runs, over http and over https: trusting the local CA alone (a CA file),
# the system store (its hashed directory, with the local CA added), and the system bundle plus the
# local CA as one file (AWS_CA_BUNDLE).
# 1. The client's own (tools/cold_start_fixed.cpp), against the fixed-response nginx, beside the
#    floor: a statically linked C program doing one request (tools/cold_start_c.c).
dy_log "cold start: $cold_runs runs against the fixed-response nginx (http, https)"
"$build/benchmark/dynantic_cold_start_fixed" --runs "$cold_runs" --http "$loopback" --https "$loopback_tls" \
  --ca-file "$work/tls/ca.pem" --system-ca-dir "$work/tls/certs" --system-ca-file "$work/tls/system-and-local.pem" \
  --static-c "$build/benchmark/dynantic_cold_start_c" >"$out/cold_start_fixed.txt" 2>>"$out/console.txt" || dy_warn "cold start (fixed responses) failed (see $out/console.txt)"
#    The same linked statically, over http, beside the same floor (keys prefixed linked_static_).
if [[ -x "$build/benchmark/dynantic_cold_start_fixed_static" ]]; then
  "$build/benchmark/dynantic_cold_start_fixed_static" --runs "$cold_runs" --http "$loopback" \
    --static-c "$build/benchmark/dynantic_cold_start_c" 2>>"$out/console.txt" | sed 's/^/linked_static_/' \
    >>"$out/cold_start_fixed.txt" || dy_warn "cold start (statically linked) failed (see $out/console.txt)"
fi
# 2. benchmark/cold_start.cpp against DynamoDB Local (it creates its own table there): adds
#    DynamoDB Local's answer on a new connection.
cold_median() { # mode file: the medians of cold_start's lines as key=value
  sed -n "s/.*spawn+GetItem+exit *median *\([0-9.]*\).*/ddb_$1_ms=\1/p; s/.*CPU of spawn+GetItem child *median *\([0-9.]*\).*/ddb_$1_cpu_ms=\1/p" "$2"
  if [[ "$1" == http ]]; then
    sed -n 's/.*spawn+exit (baseline) *median *\([0-9.]*\).*/ddb_baseline_ms=\1/p; s/.*CPU of spawn+exit child *median *\([0-9.]*\).*/ddb_baseline_cpu_ms=\1/p' "$2"
  fi
}
: >"$out/cold_start.txt"
if [[ -n "$dynamodb" ]]; then
  for mode in http https https_system https_bundle; do
    cert_dir=""
    case "$mode" in
    http) endpoint="$dynamodb" bundle="" ;;
    https) endpoint="$dynamodb_tls" bundle="$work/tls/ca.pem" ;;
    https_system) endpoint="$dynamodb_tls" bundle="" cert_dir="$work/tls/certs" ;;
    https_bundle) endpoint="$dynamodb_tls" bundle="$work/tls/system-and-local.pem" ;;
    esac
    dy_log "cold start: $cold_runs runs, $mode ($endpoint)"
    # No bundle from the environment (some machines set SSL_CERT_FILE and AWS_CA_BUNDLE).
    if env -u SSL_CERT_FILE -u AWS_CA_BUNDLE DYNANTIC_BENCH_ENDPOINT="$endpoint" ${bundle:+AWS_CA_BUNDLE="$bundle"} \
      ${cert_dir:+SSL_CERT_DIR="$cert_dir"} "$build/benchmark/cold_start" --runs "$cold_runs" >"$out/cold_start-$mode.txt" 2>>"$out/console.txt"; then
      cold_median "$mode" "$out/cold_start-$mode.txt" >>"$out/cold_start.txt"
    else
      dy_warn "cold start ($mode) failed (see $out/console.txt)"
    fi
  done
fi

run_bench cpu '^BM_(SigV4|Codec|Json|Crc32|Expression)' "$cpu_seconds" --benchmark_repetitions=3
run_bench in_process '^BM_InProcess' "$cpu_seconds" --benchmark_repetitions=3

# Loopback: wrk, dynantic and the raw floor (BM_RawFloor: dynantic's request bytes, one write(2),
# the response read to its Content-Length, no parsing) alternate, operation by operation, round
# after round, so that all see the same machine; the report takes the median of the rounds and
# states dynantic against the raw floor (wrk as a reference).
: >"$out/wrk.txt"
for ((round = 1; round <= rounds; round++)); do
  for op in GetItem PutItem Query BatchWriteItem; do
    dy_log "loopback round $round/$rounds: wrk -t1 -c1 -d${wrk_seconds}s $op"
    TIMEFORMAT='user_s=%3U sys_s=%3S'
    {
      time DY_WRK_OP="$op" DY_WRK_BODY="$fixtures/requests/$op.json" \
        wrk -t1 -c1 -d"${wrk_seconds}s" -s benchmark/tools/wrk_post.lua "$loopback/" >"$work/wrk.out"
    } 2>"$work/wrk.time"
    line="$(grep '^DYWRK' "$work/wrk.out" | sed 's/^DYWRK //')" || dy_die "wrk printed no result: $(cat "$work/wrk.out")"
    echo "op=$op round=$round $line $(tail -n1 "$work/wrk.time")" >>"$out/wrk.txt"
    filter="^BM_Loopback/$op/|^BM_RawFloor/$op/"
    # The Query budget is relative to the DOM parse of the page: measured beside it, each round.
    [[ "$op" == Query ]] && filter="$filter|^BM_JsonParseQueryPage\$"
    run_bench "loopback-$round-$op" "$filter" "$client_seconds"
  done
done
run_bench threads '^BM_LoopbackThreads/' "$client_seconds"
# One thread with 64 asynchronous calls in flight against 64 threads of synchronous calls, and one
# call at a time each way (async_bench.cpp).
run_bench async '^BM_Loopback(Async|Sync)' "$client_seconds"
[[ -n "$dynamodb" ]] && run_bench dynamodb '^BM_DynamoDBLocal/' "$client_seconds"
run_bench steady '^BM_SteadyStateRss' 0.01   # one iteration of 10^6 GetItems

# ---- the table ----------------------------------------------------------------------------------
"$build/benchmark/dynantic_bench_report" "$out" | tee "$out/table.md"
if [[ $plot -eq 1 ]]; then
  gnuplot -e "datafile='$out/plot.dat'; outfile='$out/performance.png'" benchmark/tools/plot.gp
  dy_log "plot: $out/performance.png"
fi
dy_log "raw results: $out (Google Benchmark JSON, wrk.txt, cold_start.txt, table.md)"

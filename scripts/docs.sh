#!/usr/bin/env bash
# Builds the API reference (Doxygen, from the public headers) into build/docs/html.
#
#   scripts/docs.sh          then open build/docs/html/index.html
#
# Needs the Debian package `doxygen` (installed when missing, as scripts/test.sh does).
# ctest's docs.doxygen runs the same configuration and fails on any warning.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/common.sh
source scripts/lib/common.sh

command -v doxygen >/dev/null 2>&1 || dy_install_deps
version="$(sed -n 's/^#define DYNANTIC_VERSION_STRING "\(.*\)"$/\1/p' include/dynantic/version.hpp)"
out=build/docs
rm -rf "$out/html"
mkdir -p "$out"
dy_log "docs: doxygen docs/Doxyfile (dynantic $version) -> $out/html"
{
  cat docs/Doxyfile
  printf 'PROJECT_NUMBER = %s\nOUTPUT_DIRECTORY = %s\nWARN_LOGFILE = %s/warnings.log\n' "$version" "$out" "$out"
} | doxygen -
if [[ -s "$out/warnings.log" ]]; then
  dy_warn "doxygen warnings ($out/warnings.log):"
  cat "$out/warnings.log" >&2
fi
[[ -f "$out/html/index.html" ]] || dy_die "no $out/html/index.html"
dy_log "docs: $out/html/index.html"

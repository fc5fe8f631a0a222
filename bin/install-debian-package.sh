#!/usr/bin/env bash
# bin/install-debian-package.sh COMMAND PACKAGE: makes sure COMMAND is on PATH, installing Debian's
# PACKAGE (without recommended packages) when it is missing. Idempotent: does nothing when COMMAND is
# there. Used by the tests and benchmarks that need bsdiff (C reference), chromium and chromium-driver (the console's browser tests) and nodejs (the JS client's
# tests), so a fresh CI machine gets them from the project's own scripts. Needs root (or sudo).
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: bin/install-debian-package.sh COMMAND PACKAGE" >&2
  exit 2
fi
COMMAND="$1" PACKAGE="$2"
if command -v "$COMMAND" >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-debian-package: $COMMAND is missing and there is no apt-get; install the Debian/Ubuntu package '$PACKAGE'" >&2
  exit 1
fi
AS_ROOT=()
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then AS_ROOT=(sudo); else
    echo "install-debian-package: $COMMAND is missing; run as root or install it: apt-get install --no-install-recommends $PACKAGE" >&2
    exit 1
  fi
fi
APT=("${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y)
candidate=$(apt-cache policy "$PACKAGE" 2>/dev/null || true)   # captured, not piped: grep -q would cut the pipe under pipefail
if [[ ! "$candidate" =~ Candidate:\ [0-9] ]]; then
  echo "install-debian-package: apt-get update (the package lists do not know $PACKAGE yet)" >&2
  "${APT[@]}" update >&2
fi
echo "install-debian-package: apt-get install --no-install-recommends $PACKAGE (for $COMMAND)" >&2
"${APT[@]}" install --no-install-recommends "$PACKAGE" >&2
command -v "$COMMAND" >/dev/null 2>&1 || { echo "install-debian-package: the $PACKAGE package installed no $COMMAND" >&2; exit 1; }

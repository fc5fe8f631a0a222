#!/usr/bin/env bash
# bench/install-bsdiff.sh: installs what `bin/packline bench diff --apk` compares with and measures
# with: Debian's C bsdiff/bspatch (package bsdiff) and GNU time (package time, for peak memory).
# Idempotent; needs root (or sudo) and Debian/Ubuntu package repositories.
set -euo pipefail

missing=()
command -v bsdiff >/dev/null 2>&1 && command -v bspatch >/dev/null 2>&1 || missing+=(bsdiff)
[[ -x /usr/bin/time ]] || missing+=(time)
(( ${#missing[@]} == 0 )) && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-bsdiff: ${missing[*]} missing and there is no apt-get; install Debian/Ubuntu packages: ${missing[*]}" >&2
  exit 1
fi
AS_ROOT=()
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then AS_ROOT=(sudo); else
    echo "install-bsdiff: ${missing[*]} missing; run as root or: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
APT=("${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y)
"${APT[@]}" install --no-install-recommends "${missing[@]}" >&2 || { "${APT[@]}" update >&2 && "${APT[@]}" install --no-install-recommends "${missing[@]}" >&2; }

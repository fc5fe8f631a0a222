#!/usr/bin/env bash
# grafana/install-promtool.sh: installs promtool from Debian's `prometheus` package, without
# recommended packages, and without starting (or enabling) the Prometheus service it ships: only
# the promtool binary is wanted. Needs root (or sudo) and Debian/Ubuntu package repositories.
set -euo pipefail

if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-promtool: promtool is missing and there is no apt-get; install Prometheus's promtool (Debian/Ubuntu package 'prometheus')" >&2
  exit 1
fi
AS_ROOT=()
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then AS_ROOT=(sudo); else
    echo "install-promtool: promtool is missing; run as root or install it: apt-get install --no-install-recommends prometheus" >&2
    exit 1
  fi
fi

# invoke-rc.d and deb-systemd-invoke ask policy-rc.d before starting a service; 101 means "forbidden".
POLICY=/usr/sbin/policy-rc.d
if [[ ! -e "$POLICY" ]]; then
  printf '#!/bin/sh\n# temporary, from grafana/install-promtool.sh: start no service while installing\nexit 101\n' | "${AS_ROOT[@]}" tee "$POLICY" >/dev/null
  "${AS_ROOT[@]}" chmod 755 "$POLICY"
  trap '"${AS_ROOT[@]}" rm -f "$POLICY"' EXIT
fi

APT=("${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y)
candidate=$(apt-cache policy prometheus 2>/dev/null || true)   # captured, not piped: grep -q would cut the pipe under pipefail
if [[ ! "$candidate" =~ Candidate:\ [0-9] ]]; then
  echo "install-promtool: apt-get update (the package lists do not know prometheus yet)" >&2
  "${APT[@]}" update >&2
fi
echo "install-promtool: apt-get install --no-install-recommends prometheus (for promtool)" >&2
"${APT[@]}" install --no-install-recommends prometheus >&2
# the package enables its service for the next boot; this machine only wanted promtool
if command -v deb-systemd-helper >/dev/null 2>&1; then "${AS_ROOT[@]}" deb-systemd-helper disable prometheus.service >/dev/null 2>&1 || true; fi
if command -v update-rc.d >/dev/null 2>&1; then "${AS_ROOT[@]}" update-rc.d prometheus disable >/dev/null 2>&1 || true; fi
command -v promtool >/dev/null 2>&1 || { echo "install-promtool: the prometheus package installed no promtool" >&2; exit 1; }

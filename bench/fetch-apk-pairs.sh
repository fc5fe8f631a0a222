#!/usr/bin/env bash
# bench/fetch-apk-pairs.sh: the real APK releases `bin/packline bench diff --apk` diffs. They are
# APKs that other people built and signed, shipped inside npm packages (Appium's settings app and
# UiAutomator2 server), fetched with `npm pack` from the npm registry and cached under
# ${PACKLINE_CACHE:-~/.cache/packline}/apk-pairs/PACKAGE/VERSION/NAME.apk (the version is taken out
# of file names, so the same APK of consecutive versions has the same NAME). Nothing here is
# committed. Idempotent: a version already cached is not fetched again. Needs npm (Debian: npm).
set -euo pipefail

CACHE="${PACKLINE_CACHE:-$HOME/.cache/packline}/apk-pairs"
# package, then its consecutive versions, oldest first
RELEASES=(
  "io.appium.settings 8.0.5 8.0.6 8.0.8 8.0.9 8.0.10"
  "appium-uiautomator2-server 10.3.5 10.4.0 10.6.0 10.6.2 10.6.4 10.6.6"
)

if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-apk-pairs: npm is missing; install it (Debian: apt-get install npm)" >&2
  exit 1
fi
mkdir -p "$CACHE"
for line in "${RELEASES[@]}"; do
  read -r package versions <<<"$line"
  for version in $versions; do
    target="$CACHE/$package/$version"
    [[ -f "$target/.complete" ]] && continue
    work="$(mktemp -d "$CACHE/.fetch-XXXXXX")"
    echo "fetch-apk-pairs: $package@$version" >&2
    (cd "$work" && npm pack --silent "$package@$version" >/dev/null)
    tar -xzf "$work"/*.tgz -C "$work" --wildcards 'package/apks/*.apk'
    mkdir -p "$target"
    for apk in "$work"/package/apks/*.apk; do
      name="$(basename "$apk")"
      cp "$apk" "$target/${name//$version/}"
    done
    touch "$target/.complete"
    rm -rf "$work"
  done
done

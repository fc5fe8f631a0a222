#!/usr/bin/env bash
# deploy/release/make-dist.sh OUT_DIR: the release build, packline-VERSION-linux-x64.tar.gz in OUT_DIR,
# from a checkout whose modules are built (bin/packline dist builds them first). The tarball holds
# one directory, packline-VERSION/, laid out as the checkout is, so bin/packline and the demo find
# every app where they always do:
#   bin/packline               the same launcher; the RELEASE file beside it makes it use runtime/
#                              and never build
#   runtime/                   a Java runtime made by jlink with only the modules the apps use (jdeps)
#   MODULE/target/MODULE.jar   each app's jar, and MODULE/target/lib/ its dependencies (identical
#                              jars hard-linked, so the tarball holds each once)
#   config/ grafana/ deploy/ docs/ README.md ARCHITECTURE.md
#   aot/MAIN.aot               JDK 25 AOT class caches of api, worker, admin, channel and diff, made by
#                              training runs of this very tree on its runtime (deploy/release/aot-train.sh);
#                              PACKLINE_DIST_AOT=0 leaves them out (a JDK before 25 cannot make them)
# Needs JAVA_HOME (a JDK 21+ with jlink and jdeps), tar and gzip.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:?usage: deploy/release/make-dist.sh OUT_DIR}"
: "${JAVA_HOME:?JAVA_HOME must name the JDK whose jlink makes the runtime}"
# the apps bin/packline runs from a release; bench-upload (S3Proxy in-process, 72 MB) and the
# test-only modules stay in the checkout
MODULES=(queue-core packaging worker queue-admin producer-api update-api console demo)

VERSION=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$ROOT/pom.xml" | head -n1)
[[ -n "$VERSION" ]] || { echo "make-dist: cannot read the version from $ROOT/pom.xml" >&2; exit 1; }
NAME="packline-$VERSION"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
STAGE="$(mktemp -d "$OUT/.stage.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
DIST="$STAGE/$NAME"
mkdir -p "$DIST/bin" "$STAGE/pool"

echo "make-dist: $NAME from $ROOT" >&2
for module in "${MODULES[@]}"; do
  jar=$(ls "$ROOT/$module"/target/*.jar 2>/dev/null | grep -v -- '-tests\.jar$' | head -n1 || true)
  [[ -n "$jar" && -d "$ROOT/$module/target/lib" ]] || { echo "make-dist: $module is not built (no jar or target/lib): run bin/packline build" >&2; exit 1; }
  mkdir -p "$DIST/$module/target/lib"
  cp "$jar" "$DIST/$module/target/"
  for dep in "$ROOT/$module"/target/lib/*.jar; do
    pooled="$STAGE/pool/$(basename "$dep")"
    if [[ ! -f "$pooled" ]]; then cp "$dep" "$pooled"
    elif ! cmp -s "$dep" "$pooled"; then echo "make-dist: two different $(basename "$dep") among the modules" >&2; exit 1; fi
    ln "$pooled" "$DIST/$module/target/lib/"
  done
done

# the JDK modules every jar needs, as jdeps sees them (reflection-only uses are listed by hand:
# jdk.crypto.ec for TLS to object stores and Redis, jdk.zipfs, jdk.localedata for Chinese channel
# names in logs, jdk.management for the JVM metrics, jdk.unsupported for Netty)
POOL_PATH=$(printf '%s:' "$STAGE"/pool/*.jar)
deps=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release base --print-module-deps \
  --class-path "${POOL_PATH%:}" "$DIST"/*/target/*.jar)
MODULES_NEEDED="$deps,jdk.crypto.ec,jdk.zipfs,jdk.localedata,jdk.management,jdk.unsupported,jdk.charsets,jdk.naming.dns"
echo "make-dist: jlink --add-modules $MODULES_NEEDED" >&2
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES_NEEDED" --output "$DIST/runtime" \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 --generate-cds-archive

cp "$ROOT/bin/packline" "$DIST/bin/"
cp -r "$ROOT/config" "$ROOT/grafana" "$ROOT/deploy" "$ROOT/docs" "$DIST/"
cp "$ROOT/README.md" "$ROOT/ARCHITECTURE.md" "$DIST/"
printf 'packline %s\nbuilt %s from %s\n' "$VERSION" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'a checkout without git')" > "$DIST/RELEASE"

# the caches are trained on the staged tree itself, a release build by now (RELEASE, runtime/): the
# runtime and jars they record are the ones shipped. The JVM accepts a cache when the classpath has
# moved with the jars (the tree unpacked elsewhere), as long as the jars are the same files.
if [[ "${PACKLINE_DIST_AOT:-1}" != 0 ]] && (( $(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$DIST/runtime/release") >= 25 )); then
  "$ROOT/deploy/release/aot-train.sh" "$DIST" "$ROOT/packaging/src/fixtures/sample-app/base-min21-target29.apk"
fi

tar -C "$STAGE" -czf "$OUT/$NAME-linux-x64.tar.gz" "$NAME"
echo "$OUT/$NAME-linux-x64.tar.gz"

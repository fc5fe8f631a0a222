#!/usr/bin/env bash
# deploy/container/build-image.sh TARBALL [TAG]: builds the Packline image (Dockerfile beside this
# script) from a release tarball (bin/packline dist) with podman, on a Debian 12 base made offline:
# mmdebstrap writes a minimal bookworm root (glibc, bash, coreutils, CA certificates; about 2 minutes,
# kept as localhost/packline-debian-base:bookworm for the next build) and `podman import` makes it an
# image, since no image registry needs to be reachable. With a registry, BASE=docker.io/library/debian:12-slim
# skips that. The RUN step runs with --isolation chroot, which works where an OCI runtime cannot start
# containers (docs/operations.md#deploying).
set -euo pipefail

TARBALL="$(readlink -f "${1:?usage: deploy/container/build-image.sh TARBALL [TAG]}")"
NAME="$(basename "$TARBALL")"
VERSION="${NAME#packline-}"; VERSION="${VERSION%-linux-x64.tar.gz}"
TAG="${2:-localhost/packline:$VERSION}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BASE="${BASE:-localhost/packline-debian-base:bookworm}"

if [[ "$BASE" == localhost/packline-debian-base:* ]] && ! podman image exists "$BASE"; then
  root="$(mktemp -d)/base.tar"
  mmdebstrap --variant=minbase --include=ca-certificates bookworm "$root"
  podman import "$root" "$BASE"
  rm -rf "$(dirname "$root")"
fi
podman build --isolation chroot -f "$HERE/Dockerfile" --build-arg BASE="$BASE" --build-arg RELEASE="$NAME" \
  -t "$TAG" "$(dirname "$TARBALL")"
echo "$TAG"

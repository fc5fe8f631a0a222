#!/usr/bin/env bash
# deploy/container/check-image.sh IMAGE: runs the image's commands where no OCI runtime can start a
# container (this project's sandboxed VMs: docs/operations.md#deploying): buildah runs them in the
# image's root with chroot isolation, as the image's user, on the host's network. Checks that the
# user is not root, that admin --help and the demo (the whole platform: API, workers, update API on an
# embedded Redis, 6 channels checked with apksig) succeed with nothing from the host but the kernel.
# Not part of bin/packline test: it needs root, podman/buildah and about 3 minutes.
set -euo pipefail
IMAGE="${1:?usage: deploy/container/check-image.sh IMAGE}"
c=$(buildah from "$IMAGE")
trap 'buildah rm "$c" > /dev/null' EXIT
run() { buildah run --isolation chroot "$c" -- "$@"; }
uid=$(run id -u)
[[ "$uid" != 0 ]] || { echo "check-image: the image runs as root" >&2; exit 1; }
run sh -c '! command -v java && ! command -v mvn' > /dev/null || { echo "check-image: java or mvn is on the image's PATH" >&2; exit 1; }
run /opt/packline/bin/packline admin --help > /dev/null
run /opt/packline/bin/packline demo --channels 6
echo "check-image: $IMAGE runs as uid $uid without a JDK: admin --help and the demo passed" >&2

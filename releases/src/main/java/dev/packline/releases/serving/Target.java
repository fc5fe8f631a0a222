package dev.packline.releases.serving;

import dev.packline.releases.ReleaseKind;

/** What a client asks about within a deployment: its platform and the kind of file it takes. */
public record Target(String platform, ReleaseKind kind) {
}

package dev.packline.releases;

import java.util.Objects;

/**
 * A binary patch Packline made that turns an installed file into this release's file. A client
 * whose installed file's sign matches {@code fromSha256} or {@code fromMd5} is offered the patch
 * beside the full download, and prefers it.
 *
 * @param fromMd5 the MD5 of the file the patch applies to, or null when unknown
 */
public record Patch(String fromSha256, String fromMd5, Artifact file) {
    public Patch {
        Objects.requireNonNull(fromSha256, "fromSha256");
        Objects.requireNonNull(file, "file");
    }

    public boolean appliesTo(String sign) {
        return sign != null && (sign.equalsIgnoreCase(fromSha256) || (fromMd5 != null && sign.equalsIgnoreCase(fromMd5)));
    }
}

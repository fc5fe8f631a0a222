package dev.packline.releases;

import java.util.Objects;

/**
 * A binary patch Packline made that turns an installed file into this release's file. A client
 * whose installed file's sign matches {@code fromSha256} or {@code fromMd5} is offered the patch
 * beside the full download, and prefers it.
 *
 * @param fromMd5  the MD5 of the file the patch applies to, or null when unknown
 * @param toSha256 the SHA-256 of the file the patch makes (for a request's mother patch, the newer
 *                 mother), or null when unknown (releases made before it was recorded); the update API
 *                 finds the pair's other formats (zip-aware) under it
 */
public record Patch(String fromSha256, String fromMd5, Artifact file, String toSha256) {
    public Patch {
        Objects.requireNonNull(fromSha256, "fromSha256");
        Objects.requireNonNull(file, "file");
    }

    public Patch(String fromSha256, String fromMd5, Artifact file) {
        this(fromSha256, fromMd5, file, null);
    }

    public boolean appliesTo(String sign) {
        return sign != null && (sign.equalsIgnoreCase(fromSha256) || (fromMd5 != null && sign.equalsIgnoreCase(fromMd5)));
    }
}

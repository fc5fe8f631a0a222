package dev.packline.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An object the store already holds whose first {@code prefixLength} bytes start a new object (a
 * mother APK, whose entries every channel APK reuses), with a local copy of the same bytes: the
 * store reads it to know each copied part's checksum, and to fall back to a plain upload where it
 * cannot copy.
 */
public record PrefixSource(String objectKey, Path localCopy, long prefixLength) {
    public PrefixSource {
        ObjectStore.requireValidKey(objectKey);
        Objects.requireNonNull(localCopy, "localCopy");
        if (prefixLength < 0) {
            throw new IllegalArgumentException("prefix length must not be negative, got " + prefixLength);
        }
    }
}

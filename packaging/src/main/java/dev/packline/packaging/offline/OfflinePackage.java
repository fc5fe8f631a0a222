package dev.packline.packaging.offline;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A verified offline package in memory: its manifest (and the manifest's exact bytes), every file's
 * bytes, and two digests. {@code packageSha256} is the SHA-256 of the manifest's bytes: because a
 * verified manifest lists every file with its SHA-256, it identifies the package's whole content
 * whatever zip compression carried it, and it is what offline patches name as their base and target.
 * {@code zipSha256} is the SHA-256 of the zip file as it was read.
 */
public record OfflinePackage(OfflineManifest manifest, byte[] manifestBytes, String packageSha256, String zipSha256,
        SortedMap<String, byte[]> files) {
    public OfflinePackage {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    public long contentBytes() {
        return files.values().stream().mapToLong(bytes -> bytes.length).sum();
    }
}

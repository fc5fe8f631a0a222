package dev.packline.packaging.increment;

/**
 * What making or applying one increment did: the sizes and SHA-256s of the three files, the time
 * taken, and for the chunk maker the heap its index held (0 when not measured).
 */
public record IncrementReport(IncrementFormat format, long oldBytes, long newBytes, long incrementBytes,
        String oldSha256, String newSha256, String incrementSha256, long millis, long indexHeapBytes) {
}

package dev.packline.packaging;

/** Sizes, hashes and timings of one bsdiff patch made or applied. Timings are wall-clock milliseconds. */
public record PatchReport(long oldBytes, long newBytes, long patchBytes, String oldSha256, String newSha256,
        String patchSha256, long diffMillis, long applyMillis, long heapNeedBytes) {
}

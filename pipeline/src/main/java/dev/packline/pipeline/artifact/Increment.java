package dev.packline.pipeline.artifact;

/**
 * A made patch or increment from one file to another (named by their SHA-256s), stored as an
 * object: any instance of any app finds it under the key the pair and format derive
 * ({@code pl:increment:FORMAT:FROM:TO}), whichever request or check had it made.
 */
public record Increment(PatchFormat format, String fromSha256, String toSha256, String store, String objectKey, String url, long bytes,
                        String sha256, String md5, long fromBytes, long toBytes) {
}

package dev.packline.pipeline.artifact;

/**
 * One stored version of an artifact: its version, the object it is stored as and its hashes.
 * {@code location} ({@code store://STORE/KEY}) is where workers fetch it from to diff it.
 */
public record StoredArtifact(String version, String sha256, String md5, long bytes, String store, String objectKey, String url,
                             long storedAt) {
    public String location() {
        return "store://" + store + "/" + objectKey;
    }
}

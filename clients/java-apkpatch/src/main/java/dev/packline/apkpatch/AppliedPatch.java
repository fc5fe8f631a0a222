package dev.packline.apkpatch;

/** What applying a zip-aware patch produced: the new APK's size and SHA-256 (checked), and the entries it inflated and deflated. */
public final class AppliedPatch {
    private final long newSize;
    private final String newSha256;
    private final int entriesInflated;
    private final int entriesRecompressed;

    public AppliedPatch(long newSize, String newSha256, int entriesInflated, int entriesRecompressed) {
        this.newSize = newSize;
        this.newSha256 = newSha256;
        this.entriesInflated = entriesInflated;
        this.entriesRecompressed = entriesRecompressed;
    }

    public long newSize() {
        return newSize;
    }

    /** Lower-case hex. */
    public String newSha256() {
        return newSha256;
    }

    public int entriesInflated() {
        return entriesInflated;
    }

    public int entriesRecompressed() {
        return entriesRecompressed;
    }
}

package dev.packline.apkpatch;

/**
 * A deflated entry of the old APK that the delta-friendly old file holds uncompressed: its data
 * starts at {@code offset} in the old APK and runs {@code compressedLength} bytes, inflating to
 * {@code uncompressedLength} bytes. The name is for messages and {@code diff explain} only.
 */
public final class InflateRange {
    private final String name;
    private final long offset;
    private final long compressedLength;
    private final long uncompressedLength;

    public InflateRange(String name, long offset, long compressedLength, long uncompressedLength) {
        this.name = name;
        this.offset = offset;
        this.compressedLength = compressedLength;
        this.uncompressedLength = uncompressedLength;
    }

    public String name() {
        return name;
    }

    public long offset() {
        return offset;
    }

    public long compressedLength() {
        return compressedLength;
    }

    public long uncompressedLength() {
        return uncompressedLength;
    }
}

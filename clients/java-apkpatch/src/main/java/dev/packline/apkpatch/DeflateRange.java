package dev.packline.apkpatch;

/**
 * An entry of the new APK that the delta-friendly new file holds uncompressed and the applier
 * deflates again: {@code uncompressedLength} bytes at {@code offset} of the delta-friendly new
 * file become exactly {@code compressedLength} bytes whose CRC-32 is {@code compressedCrc32} when
 * deflated with {@link #settings()}.
 */
public final class DeflateRange {
    private final String name;
    private final long offset;
    private final long uncompressedLength;
    private final long compressedLength;
    private final int compressedCrc32;
    private final DeflateSettings settings;

    public DeflateRange(String name, long offset, long uncompressedLength, long compressedLength, int compressedCrc32,
            DeflateSettings settings) {
        this.name = name;
        this.offset = offset;
        this.uncompressedLength = uncompressedLength;
        this.compressedLength = compressedLength;
        this.compressedCrc32 = compressedCrc32;
        this.settings = settings;
    }

    public String name() {
        return name;
    }

    public long offset() {
        return offset;
    }

    public long uncompressedLength() {
        return uncompressedLength;
    }

    public long compressedLength() {
        return compressedLength;
    }

    public int compressedCrc32() {
        return compressedCrc32;
    }

    public DeflateSettings settings() {
        return settings;
    }
}

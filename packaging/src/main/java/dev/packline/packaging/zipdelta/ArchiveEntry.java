package dev.packline.packaging.zipdelta;

/**
 * One entry of an archive as the zip-aware diff sees it: where its data (after the local header)
 * starts and how long it is. {@code method} is the ZIP compression method: 0 stored, 8 deflated.
 */
record ArchiveEntry(String name, int method, long dataOffset, long compressedSize, long uncompressedSize, long crc32) {
    static final int STORED = 0;
    static final int DEFLATED = 8;

    boolean deflated() {
        return method == DEFLATED;
    }

    long dataEnd() {
        return dataOffset + compressedSize;
    }
}

package dev.packline.packaging.increment;

/**
 * The header of a chunk increment (the fields before {@code data}): lengths are in UTF-16 code
 * units, the unit JavaScript strings index by; SHA-256s are of the files' UTF-8 bytes.
 */
public record ChunkHeader(int chunkSize, long oldLength, String oldSha256, long newLength, String newSha256) {
    public static final int VERSION = 1;
}

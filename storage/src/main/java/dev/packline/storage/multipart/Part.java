package dev.packline.storage.multipart;

/**
 * One part of a multipart upload: {@code length} bytes at {@code offset} of the content, either
 * sent ({@code copySource == null}) or copied server-side from the same range of the object
 * {@code copySource}. {@code md5Hex} is what the part must hash to, sent or copied.
 */
record Part(int number, long offset, long length, String copySource, String md5Hex) {
    boolean copied() {
        return copySource != null;
    }
}

package dev.packline.storage.multipart;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * How an object is cut into parts, with the digests that check them: each part's MD5 (the store's
 * ETag of a part), the S3-style composite ETag of the whole (MD5 of the parts' MD5s, "-N"), and
 * the content's SHA-256. {@link #id()} names the plan: a journal entry is only resumed by an
 * upload of the same content cut the same way.
 */
record PartPlan(List<Part> parts, String sha256, long length) {
    static final int MAX_PARTS = 10_000;

    /** Parts of {@code partSize} bytes (grown when the object would need more than 10,000), hashed in one read. */
    static PartPlan sent(Content content, long partSize) throws IOException {
        long length = content.length();
        long size = Math.max(partSize, ceilDiv(length, MAX_PARTS));
        MessageDigest sha = digest("SHA-256");
        List<Part> parts = new ArrayList<>();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = content.open(0, length)) {
            for (long offset = 0; offset < length || parts.isEmpty(); offset += size) {
                long n = Math.min(size, length - offset);
                MessageDigest md5 = digest("MD5");
                long left = n;
                while (left > 0) {
                    int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (read < 0) {
                        throw new IOException("content ended " + left + " bytes early (changed while uploading?)");
                    }
                    md5.update(buffer, 0, read);
                    sha.update(buffer, 0, read);
                    left -= read;
                }
                parts.add(new Part(parts.size() + 1, offset, n, null, HexFormat.of().formatHex(md5.digest())));
                if (n == 0) {
                    break;
                }
            }
        }
        return new PartPlan(List.copyOf(parts), HexFormat.of().formatHex(sha.digest()), length);
    }

    /**
     * The prefix copied from {@code sourceKey} in parts of at least {@code copyPartSize} bytes (the
     * last copy part takes the remainder, so none is below the store's minimum), then the tail sent
     * as the last part. The copied ranges' MD5s come from {@code prefixDigests}.
     */
    static PartPlan copied(Content content, String sourceKey, long copyPartSize, List<String> prefixMd5s, List<long[]> ranges, String sha256) {
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            parts.add(new Part(i + 1, ranges.get(i)[0], ranges.get(i)[1], sourceKey, prefixMd5s.get(i)));
        }
        byte[] tail = content.tail();
        parts.add(new Part(parts.size() + 1, content.fileBytes(), tail.length, null, HexFormat.of().formatHex(digest("MD5").digest(tail))));
        return new PartPlan(List.copyOf(parts), sha256, content.length());
    }

    /** Copy ranges {offset, length} over a prefix: as many parts of at least {@code copyPartSize} as fit, the last one larger. */
    static List<long[]> copyRanges(long prefixLength, long copyPartSize) {
        long count = Math.max(1, prefixLength / copyPartSize);
        List<long[]> ranges = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            long offset = i * copyPartSize;
            long n = i == count - 1 ? prefixLength - offset : copyPartSize;
            ranges.add(new long[]{offset, n});
        }
        return ranges;
    }

    String id() {
        Part first = parts.getFirst();
        return sha256 + ":" + length + ":" + parts.size() + ":" + first.length() + (first.copied() ? ":copy" : "");
    }

    /** The ETag S3-compatible stores give a multipart object: hex MD5 of the parts' binary MD5s, "-" and the part count. */
    String compositeEtag() {
        MessageDigest md5 = digest("MD5");
        for (Part part : parts) {
            md5.update(HexFormat.of().parseHex(part.md5Hex()));
        }
        return HexFormat.of().formatHex(md5.digest()) + "-" + parts.size();
    }

    long sentBytes() {
        return parts.stream().filter(p -> !p.copied()).mapToLong(Part::length).sum();
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}

package dev.packline.packaging.increment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * The bsdiff-gz layout, shared by its maker and applier:
 *
 * <pre>
 * offset size
 *  0      8   magic "BSDIFFGZ" (ASCII)
 *  8     32   SHA-256 of the old file
 * 40     32   SHA-256 of the new file
 * 72      8   length of the compressed control block  (bsdiff integer, see below)
 * 80      8   length of the compressed diff block     (bsdiff integer)
 * 88      8   length of the new file                  (bsdiff integer)
 * 96      .   control block, diff block, extra block: three gzip members (RFC 1952), one after the other
 * </pre>
 *
 * A bsdiff integer is 8 bytes, little-endian magnitude in the low 63 bits and the sign in the top
 * bit of the last byte (bsdiff's {@code offtin}). These are exactly bsdiff 4's blocks with gzip in
 * place of bzip2, so a browser's {@code DecompressionStream("gzip")} can undo them.
 */
final class BsdiffGzipFormat {
    static final byte[] MAGIC = "BSDIFFGZ".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER = 96;
    /** bsdiff 4's own header: "BSDIFF40", then the three bsdiff integers, 32 bytes. */
    static final int BSDIFF40_HEADER = 32;

    private BsdiffGzipFormat() {
    }

    static long readInteger(byte[] bytes, int at) {
        long magnitude = 0;
        for (int i = 7; i >= 0; i--) {
            magnitude = (magnitude << 8) | (bytes[at + i] & 0xff);
        }
        long value = magnitude & Long.MAX_VALUE;
        return magnitude < 0 ? -value : value;
    }

    static void writeInteger(long value, byte[] into, int at) {
        long magnitude = Math.abs(value);
        for (int i = 0; i < 8; i++) {
            into[at + i] = (byte) (magnitude >>> (8 * i));
        }
        if (value < 0) {
            into[at + 7] |= (byte) 0x80;
        }
    }

    /** {@code raw} as one gzip member at the best compression zlib offers. */
    static byte[] gzipBest(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
        try (OutputStream gzip = new BestGzip(out)) {
            gzip.write(raw);
        }
        return out.toByteArray();
    }

    /** A gzip member at the best compression zlib offers, written to {@code out} as bytes come; closing it finishes the member. */
    static OutputStream gzipBest(OutputStream out) throws IOException {
        return new BestGzip(out);
    }

    private static final class BestGzip extends GZIPOutputStream {
        BestGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
        }
    }
}

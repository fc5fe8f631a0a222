package dev.packline.increments;

import static dev.packline.increments.IncrementException.Kind.CORRUPT;
import static dev.packline.increments.IncrementException.Kind.MISMATCH;
import static dev.packline.increments.IncrementException.Kind.WRONG_BASE;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Applies bsdiff-gz increments: a 96-byte header ("BSDIFFGZ", the old and new SHA-256, the
 * compressed control and diff block lengths and the new length as bsdiff integers), then bsdiff's
 * control, diff and extra blocks as three gzip members. For each control triple (x, y, z): add x
 * diff bytes to x old bytes, copy y extra bytes, move the old position by z.
 */
public final class BsdiffGzApplier {
    private static final int HEADER = 96;

    private BsdiffGzApplier() {
    }

    public static byte[] apply(byte[] oldBytes, byte[] patch) throws IncrementException {
        if (patch.length < HEADER || !"BSDIFFGZ".equals(new String(patch, 0, 8, Sha256.UTF_8))) {
            throw new IncrementException(CORRUPT, "no BSDIFFGZ header");
        }
        if (!Sha256.hex(oldBytes).equals(Sha256.hex(patch, 8, 32, false))) {
            throw new IncrementException(WRONG_BASE, "the increment was made for another base (old SHA-256 " + Sha256.hex(patch, 8, 32, false) + ")");
        }
        long controlLength = integer(patch, 72);
        long diffLength = integer(patch, 80);
        long newLength = integer(patch, 88);
        if (controlLength < 0 || diffLength < 0 || newLength < 0 || newLength > Integer.MAX_VALUE - 8
                || HEADER + controlLength + diffLength > patch.length) {
            throw new IncrementException(CORRUPT, "block lengths do not fit the increment");
        }
        int diffAt = HEADER + (int) controlLength;
        int extraAt = diffAt + (int) diffLength;
        byte[] result = new byte[(int) newLength];
        try {
            InputStream control = new GZIPInputStream(new ByteArrayInputStream(patch, HEADER, (int) controlLength));
            InputStream diff = new GZIPInputStream(new ByteArrayInputStream(patch, diffAt, (int) diffLength));
            InputStream extra = new GZIPInputStream(new ByteArrayInputStream(patch, extraAt, patch.length - extraAt));
            byte[] triple = new byte[24];
            int newPosition = 0;
            long oldPosition = 0;
            while (newPosition < newLength) {
                readFully(control, triple, 0, 24);
                long add = integer(triple, 0);
                long copy = integer(triple, 8);
                long seek = integer(triple, 16);
                if (add < 0 || copy < 0 || newPosition + add + copy > newLength) {
                    throw new IncrementException(CORRUPT, "a control triple runs past the new file");
                }
                readFully(diff, result, newPosition, (int) add);
                for (int i = 0; i < add; i++) {
                    long at = oldPosition + i;
                    if (at >= 0 && at < oldBytes.length) {
                        result[newPosition + i] += oldBytes[(int) at];
                    }
                }
                newPosition += (int) add;
                oldPosition += add;
                readFully(extra, result, newPosition, (int) copy);
                newPosition += (int) copy;
                oldPosition += seek;
            }
        } catch (IOException e) {
            throw new IncrementException(CORRUPT, "a block does not decompress: " + e.getMessage());
        }
        if (!Sha256.hex(result).equals(Sha256.hex(patch, 40, 32, false))) {
            throw new IncrementException(MISMATCH, "the result does not have the SHA-256 the increment names");
        }
        return result;
    }

    /** bsdiff's 8-byte integer: little-endian magnitude, sign in the top bit of the last byte. */
    static long integer(byte[] bytes, int at) {
        long magnitude = 0;
        for (int i = 7; i >= 0; i--) {
            magnitude = (magnitude << 8) | (bytes[at + i] & 0xff);
        }
        long value = magnitude & Long.MAX_VALUE;
        return magnitude < 0 ? -value : value;
    }

    private static void readFully(InputStream in, byte[] into, int from, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int read = in.read(into, from + done, length - done);
            if (read < 0) {
                throw new IOException("a block ends early");
            }
            done += read;
        }
    }
}

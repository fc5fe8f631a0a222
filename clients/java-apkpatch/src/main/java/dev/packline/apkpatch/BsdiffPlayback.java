package dev.packline.apkpatch;

import static dev.packline.apkpatch.ApkPatchException.Failure.CORRUPT_PATCH;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;

/**
 * Replays bsdiff's instructions: each control triple (add, copy, seek; signed 64-bit big-endian)
 * writes {@code add} bytes that are the old bytes at the old position plus the next diff bytes
 * (mod 256), then {@code copy} bytes taken as they are from the extra stream, then moves the old
 * position by {@code add + seek}. The old file is read in 64 KiB windows; nothing grows with the
 * file sizes.
 */
final class BsdiffPlayback {
    private static final int BUFFER = 1 << 16;

    private final RandomAccessFile old;
    private final long oldSize;
    private final byte[] oldWindow = new byte[BUFFER];
    private final byte[] delta = new byte[BUFFER];

    BsdiffPlayback(RandomAccessFile old) throws IOException {
        this.old = old;
        this.oldSize = old.length();
    }

    /** Writes exactly {@code newSize} bytes to {@code out}. */
    void play(InputStream control, InputStream diff, InputStream extra, long newSize, OutputStream out)
            throws IOException, ApkPatchException {
        DataInputStream triples = new DataInputStream(control);
        long newPosition = 0;
        long oldPosition = 0;
        try {
            while (newPosition < newSize) {
                long add = triples.readLong();
                long copy = triples.readLong();
                long seek = triples.readLong();
                if (add < 0 || copy < 0 || add > newSize - newPosition || copy > newSize - newPosition - add) {
                    throw new ApkPatchException(CORRUPT_PATCH, "corrupt zip-aware patch: a control triple (" + add + ", " + copy
                            + ") runs past the " + newSize + "-byte delta-friendly new file");
                }
                addOld(diff, oldPosition, add, out);
                copyExtra(extra, copy, out);
                newPosition += add + copy;
                oldPosition += add + seek;
            }
        } catch (EOFException e) {
            throw new ApkPatchException(CORRUPT_PATCH, "corrupt zip-aware patch: a section ends early", e);
        }
        if (control.read() != -1 || diff.read() != -1 || extra.read() != -1) {
            throw new ApkPatchException(CORRUPT_PATCH, "corrupt zip-aware patch: instructions left over after the new file is complete");
        }
    }

    private void addOld(InputStream diff, long oldPosition, long length, OutputStream out) throws IOException {
        long done = 0;
        while (done < length) {
            int chunk = (int) Math.min(BUFFER, length - done);
            readFully(diff, delta, chunk);
            long from = oldPosition + done;
            // bspatch adds old bytes only where the old position lies inside the old file
            long inStart = Math.max(from, 0);
            long inEnd = Math.min(from + chunk, oldSize);
            if (inStart < inEnd) {
                old.seek(inStart);
                old.readFully(oldWindow, 0, (int) (inEnd - inStart));
                int shift = (int) (inStart - from);
                for (int i = 0; i < inEnd - inStart; i++) {
                    delta[shift + i] += oldWindow[i];
                }
            }
            out.write(delta, 0, chunk);
            done += chunk;
        }
    }

    private void copyExtra(InputStream extra, long length, OutputStream out) throws IOException {
        long done = 0;
        while (done < length) {
            int chunk = (int) Math.min(BUFFER, length - done);
            readFully(extra, delta, chunk);
            out.write(delta, 0, chunk);
            done += chunk;
        }
    }

    private static void readFully(InputStream in, byte[] buffer, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int read = in.read(buffer, done, length - done);
            if (read < 0) {
                throw new EOFException();
            }
            done += read;
        }
    }
}

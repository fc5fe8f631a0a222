package dev.packline.apkpatch;

import static dev.packline.apkpatch.ApkPatchException.Failure.CORRUPT_PATCH;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Copies an archive to a stream, inflating the listed deflated ranges on the way: the
 * delta-friendly form of an APK. Memory is two 64 KiB buffers, whatever the sizes. The maker uses
 * it for both delta-friendly files, the applier for the old one.
 */
public final class InflatedCopy {
    private static final int BUFFER = 1 << 16;

    private final byte[] input = new byte[BUFFER];
    private final byte[] output = new byte[BUFFER];

    /** Copies {@code sourceSize} bytes of {@code source} to {@code out}; returns the bytes written. */
    public long copy(InputStream source, long sourceSize, List<InflateRange> ranges, OutputStream out)
            throws IOException, ApkPatchException {
        long position = 0;
        long written = 0;
        Inflater inflater = new Inflater(true);
        try {
            for (InflateRange range : ranges) {
                written += copyPlain(source, range.offset() - position, out);
                inflater.reset();
                written += inflate(source, range, inflater, out);
                position = range.offset() + range.compressedLength();
            }
            written += copyPlain(source, sourceSize - position, out);
            return written;
        } finally {
            inflater.end();
        }
    }

    private long copyPlain(InputStream source, long length, OutputStream out) throws IOException {
        long left = length;
        while (left > 0) {
            int read = source.read(input, 0, (int) Math.min(BUFFER, left));
            if (read < 0) {
                throw new EOFException("the archive ended " + left + " bytes early");
            }
            out.write(input, 0, read);
            left -= read;
        }
        return length;
    }

    private long inflate(InputStream source, InflateRange range, Inflater inflater, OutputStream out)
            throws IOException, ApkPatchException {
        long compressedLeft = range.compressedLength();
        long produced = 0;
        try {
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    if (compressedLeft == 0) {
                        break;
                    }
                    int read = source.read(input, 0, (int) Math.min(BUFFER, compressedLeft));
                    if (read < 0) {
                        throw new EOFException("the archive ended inside entry " + range.name());
                    }
                    compressedLeft -= read;
                    inflater.setInput(input, 0, read);
                }
                int count = inflater.inflate(output);
                if (count == 0 && inflater.needsDictionary()) {
                    break;
                }
                produced += count;
                if (produced > range.uncompressedLength()) {
                    break;
                }
                out.write(output, 0, count);
            }
        } catch (DataFormatException e) {
            throw new ApkPatchException(CORRUPT_PATCH, "entry " + range.name() + " at offset " + range.offset()
                    + " is not the deflated data the patch says: " + e.getMessage(), e);
        }
        if (!inflater.finished() || compressedLeft != 0 || inflater.getRemaining() != 0 || produced != range.uncompressedLength()) {
            throw new ApkPatchException(CORRUPT_PATCH, "entry " + range.name() + " at offset " + range.offset() + " does not inflate from "
                    + range.compressedLength() + " to " + range.uncompressedLength() + " bytes as the patch says");
        }
        return produced;
    }
}

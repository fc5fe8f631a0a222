package dev.packline.apkpatch;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Turns the delta-friendly new file, written into it in order, into the new APK: bytes outside
 * the plan's deflate ranges pass through, bytes inside one are deflated with that entry's settings
 * and must come out at exactly the recorded length and CRC-32. Memory is the deflater's state and
 * one 64 KiB buffer. A mismatch is an {@link EntryMismatch} naming the entry.
 */
final class RecompressingOutput extends OutputStream {
    private static final int BUFFER = 1 << 16;

    /** Thrown through the stream API (hence an IOException) when an entry recompresses differently. */
    static final class EntryMismatch extends IOException {
        private static final long serialVersionUID = 1L;

        EntryMismatch(String message) {
            super(message);
        }
    }

    private final OutputStream out;
    private final Iterator<DeflateRange> ranges;
    private final byte[] buffer = new byte[BUFFER];
    private final CRC32 crc = new CRC32();
    private DeflateRange next;
    private DeflateRange current;
    private Deflater deflater;
    private long position;
    private long compressedWritten;

    RecompressingOutput(OutputStream out, List<DeflateRange> ranges) {
        this.out = out;
        this.ranges = ranges.iterator();
        this.next = this.ranges.hasNext() ? this.ranges.next() : null;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (current == null && next != null && position == next.offset()) {
                begin();
            }
            if (current != null) {
                int take = (int) Math.min(length, current.offset() + current.uncompressedLength() - position);
                deflater.setInput(bytes, offset, take);
                while (!deflater.needsInput()) {
                    drain(deflater.deflate(buffer, 0, BUFFER, Deflater.NO_FLUSH));
                }
                position += take;
                offset += take;
                length -= take;
            } else {
                long plainEnd = next == null ? Long.MAX_VALUE : next.offset();
                int take = (int) Math.min(length, plainEnd - position);
                out.write(bytes, offset, take);
                position += take;
                offset += take;
                length -= take;
            }
            if (current != null && position == current.offset() + current.uncompressedLength()) {
                finishEntry();
            }
        }
        // an empty entry ends where it starts
        while (current == null && next != null && position == next.offset() && next.uncompressedLength() == 0) {
            begin();
            finishEntry();
        }
    }

    /** Checks that every deflate range was reached; call after the last byte. */
    void finish() throws IOException {
        while (current == null && next != null && position == next.offset() && next.uncompressedLength() == 0) {
            begin();
            finishEntry();
        }
        if (current != null || next != null) {
            throw new EntryMismatch("the delta-friendly new file ended before entry " + (current != null ? current : next).name());
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (deflater != null) {
            deflater.end();
            deflater = null;
        }
        out.close();
    }

    private void begin() {
        current = next;
        next = ranges.hasNext() ? ranges.next() : null;
        if (deflater != null) {
            deflater.end();
        }
        deflater = current.settings().newDeflater();
        crc.reset();
        compressedWritten = 0;
    }

    private void finishEntry() throws IOException {
        deflater.finish();
        while (!deflater.finished()) {
            drain(deflater.deflate(buffer, 0, BUFFER, Deflater.NO_FLUSH));
        }
        if (compressedWritten != current.compressedLength() || (int) crc.getValue() != current.compressedCrc32()) {
            throw new EntryMismatch("entry " + current.name() + " recompressed (" + current.settings() + ") to " + compressedWritten
                    + " bytes with CRC-32 " + Long.toHexString(crc.getValue()) + ", the patch expects " + current.compressedLength()
                    + " bytes with CRC-32 " + Integer.toHexString(current.compressedCrc32())
                    + "; this platform's zlib deflates differently from the one the patch was made with");
        }
        current = null;
    }

    private void drain(int count) throws IOException {
        if (count > 0) {
            compressedWritten += count;
            if (compressedWritten > current.compressedLength()) {
                throw new EntryMismatch("entry " + current.name() + " recompressed (" + current.settings() + ") to more than the "
                        + current.compressedLength() + " bytes the patch expects; this platform's zlib deflates differently from the one"
                        + " the patch was made with");
            }
            crc.update(buffer, 0, count);
            out.write(buffer, 0, count);
        }
    }
}

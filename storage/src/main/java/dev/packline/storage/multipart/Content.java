package dev.packline.storage.multipart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The bytes of an object to upload: a file, or the first bytes of a file followed by a tail held in
 * memory (a channel APK as mother prefix plus new tail). Any range can be opened as a stream, so
 * parts are read straight from disk one at a time and a large object is never held in memory.
 */
public final class Content {
    private final Path file;
    private final long fileBytes;
    private final byte[] tail;

    private Content(Path file, long fileBytes, byte[] tail) {
        this.file = file;
        this.fileBytes = fileBytes;
        this.tail = tail;
    }

    public static Content of(Path file) throws IOException {
        return new Content(file, Files.size(file), new byte[0]);
    }

    /** The first {@code prefixLength} bytes of the file, then the tail. */
    public static Content prefixAndTail(Path file, long prefixLength, byte[] tail) throws IOException {
        long size = Files.size(file);
        if (prefixLength > size) {
            throw new IllegalArgumentException("prefix of " + prefixLength + " bytes is longer than " + file + " (" + size + " bytes)");
        }
        return new Content(file, prefixLength, tail.clone());
    }

    public long length() {
        return fileBytes + tail.length;
    }

    public Path file() {
        return file;
    }

    /** Bytes taken from the file (the prefix), before the tail. */
    public long fileBytes() {
        return fileBytes;
    }

    public byte[] tail() {
        return tail.clone();
    }

    /** A stream over {@code length} bytes from {@code offset}; the caller closes it. */
    public InputStream open(long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || offset + length > length()) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside content of " + length() + " bytes");
        }
        long end = offset + length;
        InputStream fromFile = InputStream.nullInputStream();
        if (offset < fileBytes) {
            long n = Math.min(end, fileBytes) - offset;
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            fromFile = new BoundedStream(Channels.newInputStream(channel), n);
        }
        if (end <= fileBytes) {
            return fromFile;
        }
        int tailFrom = (int) Math.max(0, offset - fileBytes);
        int tailTo = (int) (end - fileBytes);
        return new SequenceInputStream(fromFile, new ByteArrayInputStream(Arrays.copyOfRange(tail, tailFrom, tailTo)));
    }

    /** Reads at most a fixed number of bytes of a stream, and closes it. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(buffer, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

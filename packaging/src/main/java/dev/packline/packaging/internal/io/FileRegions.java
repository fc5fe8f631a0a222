package dev.packline.packaging.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Byte ranges of files, moved or hashed without passing through the Java heap more than one
 * fixed buffer at a time. Copies go through {@link FileChannel#transferTo}, which on Linux lets
 * the kernel copy (copy_file_range) without user-space buffers at all.
 */
public final class FileRegions {
    private static final int BUFFER = 1 << 20;

    private FileRegions() {
    }

    /** Copies {@code count} bytes at {@code position} of {@code source} to {@code target} at {@code targetPosition}. */
    public static void copy(FileChannel source, long position, long count, FileChannel target, long targetPosition)
            throws IOException {
        long done = 0;
        target.position(targetPosition);
        while (done < count) {
            long moved = source.transferTo(position + done, count - done, target);
            if (moved <= 0) {
                if (position + done >= source.size()) {
                    throw new IOException("source ended after " + done + " of " + count + " bytes");
                }
                continue;
            }
            done += moved;
        }
    }

    /** Writes all of {@code bytes} at {@code position}. */
    public static void write(FileChannel target, byte[] bytes, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            target.write(buffer, position + buffer.position());
        }
    }

    /** Feeds {@code count} bytes at {@code position} of {@code source} to {@code digest}. */
    public static void digest(FileChannel source, long position, long count, MessageDigest digest) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(BUFFER, Math.max(count, 1)));
        long done = 0;
        while (done < count) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
            int read = source.read(buffer, position + done);
            if (read < 0) {
                throw new IOException("file ended after " + done + " of " + count + " bytes");
            }
            buffer.flip();
            digest.update(buffer);
            done += read;
        }
    }

    /** SHA-256 of a whole file, as lowercase hex. */
    public static String sha256(FileChannel source) throws IOException {
        MessageDigest digest = sha256();
        digest(source, 0, source.size(), digest);
        return HexFormat.of().formatHex(digest.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

package dev.packline.packaging.increment;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;
import static dev.packline.packaging.PackagingException.Problem.IO;

import dev.packline.packaging.PackagingException;
import dev.packline.packaging.internal.io.FileRegions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Makes chunk increments between two UTF-8 text files, rsync's way: the old file is cut into
 * chunks of {@code chunkSize} UTF-16 code units and indexed by weak checksum (confirmed by a strong
 * hash, see {@link ChunkIndex}); the new file is scanned once with a rolling weak checksum, so the
 * work is linear in the files' lengths. At each position a chunk continuing the current run is
 * preferred, then the earliest matching chunk; a match skips a whole chunk, a miss emits one
 * literal code unit.
 *
 * <p>Memory: the index (32 bytes per old chunk plus its buckets), a fixed 64K-unit window of the
 * new file and the output buffer. Neither file is held whole; the increment is streamed to disk.
 * The new file is read twice (once as bytes for its SHA-256 and length, which the header carries first).
 */
public final class ChunkIncrementMaker {
    public static final int DEFAULT_CHUNK_SIZE = 12;
    static final int MAX_CHUNK_SIZE = 4096;
    private static final int WINDOW = 1 << 16;

    private final int chunkSize;
    private long lastIndexHeapBytes;

    public ChunkIncrementMaker(int chunkSize) throws PackagingException {
        if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
            throw new PackagingException(INVALID_ARGUMENT, "chunk size must be 1 to " + MAX_CHUNK_SIZE + " characters, not " + chunkSize);
        }
        this.chunkSize = chunkSize;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /** Writes the increment turning {@code oldFile} into {@code newFile} to {@code out} (replaced atomically). */
    public IncrementReport make(Path oldFile, Path newFile, Path out) throws PackagingException {
        long oldBytes = TextFiles.requireFile(oldFile, "old");
        long newBytes = TextFiles.requireFile(newFile, "new");
        long started = System.nanoTime();
        Path partial = null;
        try {
            MessageDigest oldDigest = FileRegions.sha256();
            ChunkIndex index = new ChunkIndex(chunkSize, oldBytes / chunkSize);
            long oldLength = indexOld(oldFile, index, oldDigest);
            MessageDigest newDigest = FileRegions.sha256();
            long newLength = measure(newFile, newDigest);
            ChunkHeader header = new ChunkHeader(chunkSize, oldLength, hex(oldDigest), newLength, hex(newDigest));
            partial = Files.createTempFile(out.toAbsolutePath().getParent(), ".packline-", ".partial");
            try (Writer writer = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(partial), StandardCharsets.UTF_8), 1 << 16)) {
                ChunkJsonWriter json = new ChunkJsonWriter(writer);
                json.header(header);
                scan(newFile, index, json);
                json.finish();
            }
            lastIndexHeapBytes = index.heapBytes();
            long millis = (System.nanoTime() - started) / 1_000_000;
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
            return new IncrementReport(IncrementFormat.CHUNK, oldBytes, newBytes, Files.size(out), header.oldSha256(),
                    header.newSha256(), sha256Of(out), millis, lastIndexHeapBytes);
        } catch (CharacterCodingException e) {
            throw new PackagingException(INVALID_ARGUMENT, "the old or new file is not UTF-8 text (chunk increments are for text; "
                    + "use --format bsdiff-gz for binary files): " + oldFile + ", " + newFile, e);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot make a chunk increment from " + oldFile + " to " + newFile + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
        }
    }

    private long indexOld(Path oldFile, ChunkIndex index, MessageDigest digest) throws IOException {
        char[] buffer = new char[Math.max(WINDOW, chunkSize) / chunkSize * chunkSize];
        long length = 0;
        try (Reader reader = TextFiles.open(oldFile, digest)) {
            while (true) {
                int filled = reader.read(buffer, 0, buffer.length);
                if (filled < 0) {
                    break;
                }
                while (filled < buffer.length) {
                    int more = reader.read(buffer, filled, buffer.length - filled);
                    if (more < 0) {
                        break;
                    }
                    filled += more;
                }
                length += filled;
                for (int from = 0; from + chunkSize <= filled; from += chunkSize) {
                    index.add(buffer, from);
                }
                if (filled < buffer.length) {
                    break;
                }
            }
        }
        index.seal();
        return length;
    }

    /**
     * The new file's SHA-256 and its length in UTF-16 code units, from its bytes without decoding
     * them: every byte that does not continue a UTF-8 sequence starts one code unit, and a 4-byte
     * sequence's lead adds the second unit of its surrogate pair. A file that is not UTF-8 is refused
     * by the scan's strict decoder afterwards, before anything is written in place.
     */
    private static long measure(Path file, MessageDigest digest) throws IOException {
        byte[] buffer = new byte[WINDOW];
        long length = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int read; (read = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, read);
                for (int i = 0; i < read; i++) {
                    int unit = buffer[i];
                    if ((unit & 0xC0) != 0x80) {
                        length++;
                    }
                    if ((unit & 0xF8) == 0xF0) {
                        length++;
                    }
                }
            }
        }
        return length;
    }

    /** The scan over the new file; {@code buffer[position, end)} is what has been read and not yet emitted. */
    private void scan(Path newFile, ChunkIndex index, ChunkJsonWriter json) throws IOException {
        char[] buffer = new char[Math.max(WINDOW, 4 * chunkSize)];
        RollingChecksum checksum = new RollingChecksum(chunkSize);
        int position = 0;
        int end = 0;
        boolean checksumValid = false;
        int nextInRun = -1;
        try (Reader reader = TextFiles.open(newFile)) {
            while (true) {
                if (position + chunkSize >= end) {
                    // keep the unscanned tail, refill behind it; the rolling state stays valid (it depends on no index)
                    System.arraycopy(buffer, position, buffer, 0, end - position);
                    end -= position;
                    position = 0;
                    for (int read; end < buffer.length && (read = reader.read(buffer, end, buffer.length - end)) >= 0; ) {
                        end += read;
                    }
                    if (position + chunkSize > end) {
                        break;
                    }
                }
                if (!checksumValid && index.continues(nextInRun, buffer, position)) {
                    json.chunk(nextInRun);
                    nextInRun++;
                    position += chunkSize;
                    continue;
                }
                if (!checksumValid) {
                    checksum.reset(buffer, position);
                    checksumValid = true;
                }
                int chunk = index.find(checksum.value(), buffer, position, nextInRun);
                if (chunk >= 0) {
                    json.chunk(chunk);
                    nextInRun = chunk + 1;
                    position += chunkSize;
                    checksumValid = false;
                } else {
                    json.literal(buffer[position]);
                    nextInRun = -1;
                    if (position + chunkSize < end) {
                        checksum.roll(buffer[position], buffer[position + chunkSize]);
                    } else {
                        checksumValid = false;
                    }
                    position++;
                }
            }
            for (; position < end; position++) {
                json.literal(buffer[position]);
            }
        }
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256Of(Path file) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            return FileRegions.sha256(channel);
        }
    }

    static void deleteQuietly(Path partial) {
        if (partial != null) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // the partial file keeps its .partial name, so nothing mistakes it for an output
            }
        }
    }
}

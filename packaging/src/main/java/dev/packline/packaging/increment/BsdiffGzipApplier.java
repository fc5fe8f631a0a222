package dev.packline.packaging.increment;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;
import static dev.packline.packaging.PackagingException.Problem.IO;
import static dev.packline.packaging.PackagingException.Problem.REFUSED;
import static dev.packline.packaging.PackagingException.Problem.VERIFICATION_FAILED;

import dev.packline.packaging.PackagingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * Applies bsdiff-gz increments ({@link BsdiffGzipFormat}) the way bspatch does: for each control
 * triple (x, y, z), add x diff bytes to x old bytes, copy y extra bytes, move the old position by z.
 * The old file's SHA-256 is checked first (a patch for another base is refused) and the result's
 * last; nothing is written unless both match.
 */
public final class BsdiffGzipApplier {
    public IncrementReport apply(Path oldFile, Path increment, Path out) throws PackagingException {
        long oldSize = TextFiles.requireFile(oldFile, "old");
        TextFiles.requireFile(increment, "increment");
        Path partial = null;
        try {
            long started = System.nanoTime();
            byte[] oldBytes = Files.readAllBytes(oldFile);
            byte[] patch = Files.readAllBytes(increment);
            byte[] newBytes = rebuild(oldBytes, patch, increment);
            partial = Files.createTempFile(out.toAbsolutePath().getParent(), ".packline-", ".partial");
            Files.write(partial, newBytes);
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
            HexFormat hex = HexFormat.of();
            return new IncrementReport(IncrementFormat.BSDIFF_GZIP, oldSize, newBytes.length, patch.length,
                    hex.formatHex(patch, 8, 40), hex.formatHex(patch, 40, 72), hex.formatHex(BsdiffGzipMaker.sha256(patch)),
                    (System.nanoTime() - started) / 1_000_000, 0);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot apply " + increment + " to " + oldFile + ": " + e.getMessage(), e);
        } finally {
            ChunkIncrementMaker.deleteQuietly(partial);
        }
    }

    /** The new file rebuilt from {@code oldBytes} and the increment {@code patch} ({@code source} names it in errors). */
    public static byte[] rebuild(byte[] oldBytes, byte[] patch, Object source) throws PackagingException {
        if (patch.length < BsdiffGzipFormat.HEADER || !Arrays.equals(patch, 0, 8, BsdiffGzipFormat.MAGIC, 0, 8)) {
            throw corrupt(source, "no BSDIFFGZ header");
        }
        if (!Arrays.equals(BsdiffGzipMaker.sha256(oldBytes), Arrays.copyOfRange(patch, 8, 40))) {
            throw new PackagingException(REFUSED, "the increment " + source + " was made for another base: it expects an old file with SHA-256 "
                    + HexFormat.of().formatHex(patch, 8, 40));
        }
        long controlLength = BsdiffGzipFormat.readInteger(patch, 72);
        long diffLength = BsdiffGzipFormat.readInteger(patch, 80);
        long newLength = BsdiffGzipFormat.readInteger(patch, 88);
        if (controlLength < 0 || diffLength < 0 || newLength < 0 || newLength > Integer.MAX_VALUE - 8
                || BsdiffGzipFormat.HEADER + controlLength + diffLength > patch.length) {
            throw corrupt(source, "block lengths " + controlLength + ", " + diffLength + " and new length " + newLength + " do not fit a "
                    + patch.length + "-byte increment");
        }
        int controlAt = BsdiffGzipFormat.HEADER;
        int diffAt = controlAt + (int) controlLength;
        int extraAt = diffAt + (int) diffLength;
        byte[] result = new byte[(int) newLength];
        try (InputStream control = gunzip(patch, controlAt, (int) controlLength);
                InputStream diff = gunzip(patch, diffAt, (int) diffLength);
                InputStream extra = gunzip(patch, extraAt, patch.length - extraAt)) {
            int newPosition = 0;
            long oldPosition = 0;
            while (newPosition < newLength) {
                long add = BsdiffGzipFormat.readInteger(control);
                long copy = BsdiffGzipFormat.readInteger(control);
                long seek = BsdiffGzipFormat.readInteger(control);
                if (add < 0 || copy < 0 || newPosition + add + copy > newLength) {
                    throw corrupt(source, "a control triple (" + add + ", " + copy + ", " + seek + ") runs past the new file's " + newLength + " bytes");
                }
                if (diff.readNBytes(result, newPosition, (int) add) != add) {
                    throw corrupt(source, "the diff block ends early");
                }
                for (int i = 0; i < add; i++) {
                    long at = oldPosition + i;
                    if (at >= 0 && at < oldBytes.length) {
                        result[newPosition + i] += oldBytes[(int) at];
                    }
                }
                newPosition += (int) add;
                oldPosition += add;
                if (extra.readNBytes(result, newPosition, (int) copy) != copy) {
                    throw corrupt(source, "the extra block ends early");
                }
                newPosition += (int) copy;
                oldPosition += seek;
            }
        } catch (IOException e) {
            throw corrupt(source, "a block does not decompress: " + e.getMessage());
        }
        if (!Arrays.equals(BsdiffGzipMaker.sha256(result), Arrays.copyOfRange(patch, 40, 72))) {
            throw new PackagingException(VERIFICATION_FAILED, "applying " + source + " did not give the file its header names (SHA-256 "
                    + HexFormat.of().formatHex(patch, 40, 72) + "); nothing was written");
        }
        return result;
    }

    private static InputStream gunzip(byte[] bytes, int from, int length) throws IOException {
        return new GZIPInputStream(new ByteArrayInputStream(bytes, from, length));
    }

    private static PackagingException corrupt(Object source, String why) {
        return new PackagingException(INVALID_ARGUMENT, "the bsdiff-gz increment " + source + " is corrupt: " + why);
    }
}

package dev.packline.packaging.increment;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;
import static dev.packline.packaging.PackagingException.Problem.IO;
import static dev.packline.packaging.PackagingException.Problem.REFUSED;
import static dev.packline.packaging.PackagingException.Problem.VERIFICATION_FAILED;

import dev.packline.increments.BsdiffGzApplier;
import dev.packline.increments.IncrementException;
import dev.packline.packaging.PackagingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;

/**
 * Applies bsdiff-gz increments ({@link BsdiffGzipFormat}) through the client library's
 * {@link BsdiffGzApplier}, the way bspatch does: for each control triple (x, y, z), add x diff bytes
 * to x old bytes, copy y extra bytes, move the old position by z. The old file's SHA-256 is checked
 * first (a patch for another base is refused) and the result's last; nothing is written unless both match.
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

    /**
     * The new file rebuilt from {@code oldBytes} and the increment {@code patch} ({@code source} names it in errors):
     * the Java 8 client library's applier (clients/java-increments), the one decoding of the format in
     * the repository besides the JavaScript client, with its failures named as packaging problems.
     */
    public static byte[] rebuild(byte[] oldBytes, byte[] patch, Object source) throws PackagingException {
        try {
            return BsdiffGzApplier.apply(oldBytes, patch);
        } catch (IncrementException e) {
            throw switch (e.kind()) {
                case WRONG_BASE -> new PackagingException(REFUSED, "the increment " + source
                        + " was made for another base: it expects an old file with SHA-256 " + HexFormat.of().formatHex(patch, 8, 40), e);
                case MISMATCH -> new PackagingException(VERIFICATION_FAILED, "applying " + source + " did not give the file its header names "
                        + "(SHA-256 " + HexFormat.of().formatHex(patch, 40, 72) + "); nothing was written", e);
                case CORRUPT -> new PackagingException(INVALID_ARGUMENT, "the bsdiff-gz increment " + source + " is corrupt: " + e.getMessage(), e);
            };
        }
    }
}

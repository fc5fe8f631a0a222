package dev.packline.packaging.increment;

import static dev.packline.packaging.PackagingException.Problem.IO;
import static dev.packline.packaging.PackagingException.Problem.OVER_BUDGET;

import dev.packline.packaging.PackagingException;
import dev.packline.packaging.Patcher;
import dev.packline.packaging.internal.bsdiff.BsdiffScan;
import dev.packline.packaging.internal.io.CpuThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * Makes bsdiff-gz increments ({@link BsdiffGzipFormat}): the shared bsdiff scan ({@link BsdiffScan},
 * the zip-aware APK maker's too) computes bsdiff 4's control, diff and extra blocks, each is
 * gzip-compressed at zlib's best level, and the header gains both files' SHA-256 so an applier
 * refuses a wrong base. Every increment is applied once before it is moved into place.
 *
 * <p>Memory: both files, the old one's suffix array and the raw blocks, within
 * {@link Patcher#diffHeapNeed}; an input needing more than three quarters of the heap is refused.
 */
public final class BsdiffGzipMaker {
    public IncrementReport make(Path oldFile, Path newFile, Path out) throws PackagingException {
        long oldSize = TextFiles.requireFile(oldFile, "old");
        long newSize = TextFiles.requireFile(newFile, "new");
        long need = Patcher.diffHeapNeed(oldSize, newSize);
        if (need > Runtime.getRuntime().maxMemory() / 4 * 3 || oldSize > Integer.MAX_VALUE - 64 || newSize > Integer.MAX_VALUE - 64) {
            throw new PackagingException(OVER_BUDGET, "diffing " + oldSize + " against " + newSize + " bytes needs about " + (need >> 20)
                    + " MiB of heap, more than three quarters of the maximum heap; raise -Xmx through PACKLINE_JAVA_OPTS");
        }
        Path partial = null;
        try {
            long started = System.nanoTime();
            byte[] oldBytes = Files.readAllBytes(oldFile);
            byte[] newBytes = Files.readAllBytes(newFile);
            byte[] increment = encode(oldBytes, newBytes);
            long millis = (System.nanoTime() - started) / 1_000_000;
            byte[] applied = BsdiffGzipApplier.rebuild(oldBytes, increment, out);
            if (!Arrays.equals(applied, newBytes)) {
                throw new PackagingException(dev.packline.packaging.PackagingException.Problem.VERIFICATION_FAILED,
                        "the bsdiff-gz increment does not reproduce " + newFile + "; nothing was written");
            }
            partial = Files.createTempFile(out.toAbsolutePath().getParent(), ".packline-", ".partial");
            Files.write(partial, increment);
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
            HexFormat hex = HexFormat.of();
            return new IncrementReport(IncrementFormat.BSDIFF_GZIP, oldSize, newSize, increment.length,
                    hex.formatHex(increment, 8, 40), hex.formatHex(increment, 40, 72),
                    hex.formatHex(sha256(increment)), millis, 0);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot diff " + oldFile + " and " + newFile + ": " + e.getMessage(), e);
        } finally {
            ChunkIncrementMaker.deleteQuietly(partial);
        }
    }

    /**
     * The bsdiff-gz increment from {@code oldBytes} to {@code newBytes}, in memory. The scan writes its
     * diff and extra bytes straight into their gzip members (no uncompressed copy of either block), and
     * both files' SHA-256 for the header are computed on another thread meanwhile: on a fresh JVM the
     * digest's first use (provider lookup, then interpreted rounds) costs about as much as the scan of
     * a 100 KB bundle.
     */
    public static byte[] encode(byte[] oldBytes, byte[] newBytes) throws IOException {
        CompletableFuture<byte[][]> digests = CompletableFuture.supplyAsync(() -> new byte[][] {sha256(oldBytes), sha256(newBytes)},
                CpuThreads.named("packline-bsdiff-gz-digest"));
        ByteArrayOutputStream control = new ByteArrayOutputStream(1024);
        ByteArrayOutputStream diffBlock = new ByteArrayOutputStream(newBytes.length / 16 + 64);
        ByteArrayOutputStream extraBlock = new ByteArrayOutputStream(newBytes.length / 16 + 64);
        byte[] triple = new byte[24];
        try (OutputStream diff = BsdiffGzipFormat.gzipBest(diffBlock); OutputStream extra = BsdiffGzipFormat.gzipBest(extraBlock)) {
            new BsdiffScan().diff(oldBytes, newBytes, (add, copy, seek) -> {
                BsdiffGzipFormat.writeInteger(add, triple, 0);
                BsdiffGzipFormat.writeInteger(copy, triple, 8);
                BsdiffGzipFormat.writeInteger(seek, triple, 16);
                control.write(triple);
            }, diff, extra);
        }
        byte[] controlBlock = BsdiffGzipFormat.gzipBest(control.toByteArray());
        byte[][] sha256 = digests.join();
        ByteArrayOutputStream out = new ByteArrayOutputStream(BsdiffGzipFormat.HEADER + controlBlock.length + diffBlock.size()
                + extraBlock.size());
        byte[] header = new byte[BsdiffGzipFormat.HEADER];
        System.arraycopy(BsdiffGzipFormat.MAGIC, 0, header, 0, 8);
        System.arraycopy(sha256[0], 0, header, 8, 32);
        System.arraycopy(sha256[1], 0, header, 40, 32);
        BsdiffGzipFormat.writeInteger(controlBlock.length, header, 72);
        BsdiffGzipFormat.writeInteger(diffBlock.size(), header, 80);
        BsdiffGzipFormat.writeInteger(newBytes.length, header, 88);
        out.write(header);
        out.write(controlBlock);
        diffBlock.writeTo(out);
        extraBlock.writeTo(out);
        return out.toByteArray();
    }

    static byte[] sha256(byte[] bytes) {
        return dev.packline.packaging.internal.io.FileRegions.sha256().digest(bytes);
    }
}

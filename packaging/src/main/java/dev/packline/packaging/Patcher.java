package dev.packline.packaging;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;
import static dev.packline.packaging.PackagingException.Problem.IO;
import static dev.packline.packaging.PackagingException.Problem.OVER_BUDGET;
import static dev.packline.packaging.PackagingException.Problem.VERIFICATION_FAILED;

import dev.packline.packaging.internal.apk.ApkLayout;
import dev.packline.packaging.internal.io.FileRegions;
import io.sigpipe.jbsdiff.Diff;
import io.sigpipe.jbsdiff.InvalidHeaderException;
import io.sigpipe.jbsdiff.Patch;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.Semaphore;
import org.apache.commons.compress.compressors.CompressorException;

/**
 * Classic bsdiff patches (BSDIFF40, bzip2 blocks; the C bspatch applies them) made and applied with
 * jbsdiff. jbsdiff works on whole files in the heap, so every job first computes its heap need and
 * is refused up front when that exceeds the budget, instead of failing with an OutOfMemoryError
 * halfway. Concurrent jobs share the budget: a job whose need fits waits until enough is free.
 */
public final class Patcher {
    /** jbsdiff indexes arrays with ints. */
    static final long MAX_FILE = Integer.MAX_VALUE - 64;
    private static final long OVERHEAD = 32L << 20;
    private static final int MEGABYTE = 1 << 20;
    private static final byte[] MAGIC = "BSDIFF40".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final long budgetBytes;
    private final Semaphore budget;

    /** A patcher that lets its jobs use at most {@code budgetBytes} of heap in total. */
    public Patcher(long budgetBytes) {
        long usable = Runtime.getRuntime().maxMemory() - (64L << 20);
        this.budgetBytes = Math.max(MEGABYTE, Math.min(budgetBytes, usable));
        this.budget = new Semaphore((int) (this.budgetBytes / MEGABYTE), true);
    }

    /** Three quarters of the JVM's maximum heap. */
    public static Patcher withDefaultBudget() {
        return new Patcher(Runtime.getRuntime().maxMemory() / 4 * 3);
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    /** Heap a diff needs: both files, jbsdiff's suffix array (8 bytes per old byte), its diff and extra blocks. */
    public static long diffHeapNeed(long oldBytes, long newBytes) {
        return 9 * oldBytes + 5 * newBytes + OVERHEAD;
    }

    /** Heap applying a patch needs: the old file, the patch and the new file. */
    public static long applyHeapNeed(long oldBytes, long patchBytes, long newBytes) {
        return oldBytes + patchBytes + 2 * newBytes + OVERHEAD;
    }

    /** Writes a patch turning {@code oldFile} into {@code newFile}, then applies it once to check the result's SHA-256. */
    public PatchReport make(Path oldFile, Path newFile, Path patchFile) throws PackagingException {
        long oldSize = sizeOf(oldFile, "old");
        long newSize = sizeOf(newFile, "new");
        long need = diffHeapNeed(oldSize, newSize);
        int permits = reserve(need, "diffing " + oldSize + " against " + newSize + " bytes");
        try {
            long started = System.nanoTime();
            byte[] oldBytes = Files.readAllBytes(oldFile);
            byte[] newBytes = Files.readAllBytes(newFile);
            Path partial = Files.createTempFile(patchFile.toAbsolutePath().getParent(), ".packline-", ".partial");
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial, StandardOpenOption.WRITE), 1 << 16)) {
                    Diff.diff(oldBytes, newBytes, out);
                }
                long diffMillis = (System.nanoTime() - started) / 1_000_000;
                String newSha = sha256(newBytes);
                newBytes = null;
                long applyStarted = System.nanoTime();
                byte[] patchBytes = Files.readAllBytes(partial);
                MessageDigest applied = FileRegions.sha256();
                try (OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), applied)) {
                    Patch.patch(oldBytes, patchBytes, sink);
                }
                long applyMillis = (System.nanoTime() - applyStarted) / 1_000_000;
                if (!HexFormat.of().formatHex(applied.digest()).equals(newSha)) {
                    throw new PackagingException(VERIFICATION_FAILED, "the patch does not reproduce " + newFile
                            + " (SHA-256 differs after applying it); nothing was written");
                }
                Files.move(partial, patchFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return new PatchReport(oldSize, newSize, patchBytes.length, sha256(oldBytes), newSha, sha256(patchBytes),
                        diffMillis, applyMillis, need);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (CompressorException | InvalidHeaderException e) {
            throw new PackagingException(IO, "jbsdiff failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot diff " + oldFile + " and " + newFile + ": " + e.getMessage(), e);
        } finally {
            budget.release(permits);
        }
    }

    /** Applies {@code patchFile} to {@code oldFile}, writing {@code newFile}. */
    public PatchReport apply(Path oldFile, Path patchFile, Path newFile) throws PackagingException {
        long oldSize = sizeOf(oldFile, "old");
        long patchSize = sizeOf(patchFile, "patch");
        long newSize = declaredNewSize(patchFile);
        long need = applyHeapNeed(oldSize, patchSize, newSize);
        int permits = reserve(need, "applying a " + patchSize + "-byte patch to " + oldSize + " bytes (giving " + newSize + ")");
        try {
            long started = System.nanoTime();
            byte[] oldBytes = Files.readAllBytes(oldFile);
            byte[] patchBytes = Files.readAllBytes(patchFile);
            MessageDigest digest = FileRegions.sha256();
            Path partial = Files.createTempFile(newFile.toAbsolutePath().getParent(), ".packline-", ".partial");
            try {
                try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(partial, StandardOpenOption.WRITE), 1 << 16), digest)) {
                    Patch.patch(oldBytes, patchBytes, out);
                }
                Files.move(partial, newFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            long applyMillis = (System.nanoTime() - started) / 1_000_000;
            return new PatchReport(oldSize, newSize, patchSize, sha256(oldBytes), HexFormat.of().formatHex(digest.digest()),
                    sha256(patchBytes), 0, applyMillis, need);
        } catch (CompressorException | InvalidHeaderException | RuntimeException e) {
            throw new PackagingException(INVALID_ARGUMENT, "patch " + patchFile + " is corrupt or not for this file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot apply " + patchFile + ": " + e.getMessage(), e);
        } finally {
            budget.release(permits);
        }
    }

    /** The new file's size from the patch header (an 8-byte sign-magnitude integer at offset 24). */
    static long declaredNewSize(Path patchFile) throws PackagingException {
        byte[] header = new byte[32];
        try (var in = Files.newInputStream(patchFile)) {
            if (in.readNBytes(header, 0, 32) < 32 || !java.util.Arrays.equals(header, 0, 8, MAGIC, 0, 8)) {
                throw new PackagingException(INVALID_ARGUMENT, "not a bsdiff patch (no BSDIFF40 header): " + patchFile);
            }
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read " + patchFile + ": " + e.getMessage(), e);
        }
        long magnitude = 0;
        for (int i = 31; i >= 24; i--) {
            magnitude = (magnitude << 8) | (header[i] & (i == 31 ? 0x7f : 0xff));
        }
        if ((header[31] & 0x80) != 0 || magnitude > MAX_FILE) {
            throw new PackagingException(OVER_BUDGET, "patch declares a new file of " + ((header[31] & 0x80) != 0 ? "-" : "")
                    + magnitude + " bytes; jbsdiff handles files up to 2 GiB");
        }
        return magnitude;
    }

    private int reserve(long need, String job) throws PackagingException {
        if (need > budgetBytes) {
            throw new PackagingException(OVER_BUDGET, job + " needs about " + need / MEGABYTE + " MiB of heap, over the "
                    + budgetBytes / MEGABYTE + " MiB budget; raise the budget (--heap-budget-mb, and -Xmx through "
                    + "PACKLINE_JAVA_OPTS) or diff smaller inputs");
        }
        int permits = (int) Math.min(budgetBytes / MEGABYTE, (need + MEGABYTE - 1) / MEGABYTE);
        try {
            budget.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PackagingException(IO, job + " was interrupted while waiting for heap budget", e);
        }
        return permits;
    }

    private static long sizeOf(Path file, String role) throws PackagingException {
        ApkLayout.requireReadable(file);
        try {
            long size = Files.size(file);
            if (size > MAX_FILE) {
                throw new PackagingException(OVER_BUDGET, role + " file " + file + " is " + size
                        + " bytes; jbsdiff handles files up to 2 GiB");
            }
            return size;
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(FileRegions.sha256().digest(bytes));
    }
}

package dev.packline.apkpatch;

import static dev.packline.apkpatch.ApkPatchException.Failure.CORRUPT_PATCH;
import static dev.packline.apkpatch.ApkPatchException.Failure.IO;
import static dev.packline.apkpatch.ApkPatchException.Failure.RECOMPRESSION_MISMATCH;
import static dev.packline.apkpatch.ApkPatchException.Failure.RESULT_MISMATCH;
import static dev.packline.apkpatch.ApkPatchException.Failure.WRONG_BASE;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.tukaani.xz.XZIOException;

/**
 * Applies a zip-aware APK patch (format in docs/packaging.md, "Zip-aware patches"), step by step:
 * check the patch's sections against the SHA-256 in its header, and the header against the old
 * APK's size and SHA-256; write the delta-friendly old file (the
 * old APK with the planned entries inflated) to a temporary file; replay the bsdiff instructions
 * against it, feeding the delta-friendly new bytes through a recompressor straight into a partial
 * output file; check the result's size and SHA-256; rename it over the target. Heap use is a few
 * 64 KiB buffers, the deflater's and the XZ decoder's state (8 MiB dictionary) and the plan's entry
 * list, whatever the APK's size. Disk use is the delta-friendly old file plus the new APK, beside
 * the target. On any failure the temporary files are deleted and the target is left untouched.
 */
public final class ApkPatchApplier {
    private static final int BUFFER = 1 << 16;

    /** Applies {@code patch} to {@code oldApk}, writing {@code newApk} (replaced if it exists) only when the result checks out. */
    public AppliedPatch apply(File oldApk, File patch, File newApk) throws ApkPatchException {
        File directory = newApk.getAbsoluteFile().getParentFile();
        File deltaOld = null;
        File partial = null;
        try {
            PatchHeader header = readHeader(patch);
            checkSections(patch, header);
            checkBase(oldApk, header);
            PatchPlan plan = PatchPlan.read(patch, header);
            deltaOld = File.createTempFile(".packline-", ".delta-old", directory);
            writeDeltaOld(oldApk, header, plan, deltaOld);
            partial = File.createTempFile(".packline-", ".partial", directory);
            byte[] digest = writeNew(patch, header, plan, deltaOld, partial);
            if (partial.length() != header.newSize() || !Arrays.equals(digest, header.newSha256())) {
                throw new ApkPatchException(RESULT_MISMATCH, "the patched APK is " + partial.length() + " bytes with SHA-256 " + hex(digest)
                        + ", the patch promises " + header.newSize() + " bytes with SHA-256 " + hex(header.newSha256()));
            }
            // rename(2) replaces the target atomically on Linux and Android; Windows refuses to replace
            if (!partial.renameTo(newApk)) {
                throw new ApkPatchException(IO, "cannot rename the patched APK to " + newApk);
            }
            partial = null;
            return new AppliedPatch(header.newSize(), hex(digest), plan.inflate().size(), plan.deflate().size());
        } catch (RecompressingOutput.EntryMismatch e) {
            throw new ApkPatchException(RECOMPRESSION_MISMATCH, e.getMessage(), e);
        } catch (XZIOException | EOFException e) {
            throw new ApkPatchException(CORRUPT_PATCH, "corrupt zip-aware patch " + patch + ": " + e, e);
        } catch (IOException e) {
            throw new ApkPatchException(IO, "cannot apply " + patch + " to " + oldApk + ": " + e.getMessage(), e);
        } finally {
            delete(deltaOld);
            delete(partial);
        }
    }

    private static PatchHeader readHeader(File patch) throws IOException, ApkPatchException {
        if (!patch.isFile()) {
            throw new ApkPatchException(IO, "patch " + patch + " is missing or not a regular file");
        }
        InputStream in = new FileInputStream(patch);
        try {
            return PatchHeader.read(in, patch.length());
        } finally {
            in.close();
        }
    }

    private static void checkSections(File patch, PatchHeader header) throws IOException, ApkPatchException {
        MessageDigest sha = sha256();
        InputStream in = new FileInputStream(patch);
        try {
            byte[] buffer = new byte[BUFFER];
            long skipped = 0;
            while (skipped < PatchHeader.LENGTH) {
                skipped += in.skip(PatchHeader.LENGTH - skipped);
            }
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                sha.update(buffer, 0, read);
            }
        } finally {
            in.close();
        }
        if (!Arrays.equals(sha.digest(), header.sectionsSha256())) {
            throw new ApkPatchException(CORRUPT_PATCH, "corrupt zip-aware patch " + patch + ": its content does not match the SHA-256 in "
                    + "its header (damaged or cut in transit?)");
        }
    }

    private static void checkBase(File oldApk, PatchHeader header) throws IOException, ApkPatchException {
        if (!oldApk.isFile()) {
            throw new ApkPatchException(IO, "old APK " + oldApk + " is missing or not a regular file");
        }
        if (oldApk.length() != header.oldSize()) {
            throw new ApkPatchException(WRONG_BASE, "the patch is for another old APK: it expects " + header.oldSize() + " bytes, "
                    + oldApk + " has " + oldApk.length());
        }
        MessageDigest sha = sha256();
        InputStream in = new FileInputStream(oldApk);
        try {
            byte[] buffer = new byte[BUFFER];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                sha.update(buffer, 0, read);
            }
        } finally {
            in.close();
        }
        byte[] actual = sha.digest();
        if (!Arrays.equals(actual, header.oldSha256())) {
            throw new ApkPatchException(WRONG_BASE, "the patch is for another old APK: it expects SHA-256 " + hex(header.oldSha256())
                    + ", " + oldApk + " has " + hex(actual) + " (for a channel APK, strip its channel first)");
        }
    }

    private static void writeDeltaOld(File oldApk, PatchHeader header, PatchPlan plan, File deltaOld)
            throws IOException, ApkPatchException {
        InputStream in = new BufferedInputStream(new FileInputStream(oldApk), BUFFER);
        long written;
        try {
            OutputStream out = new BufferedOutputStream(new FileOutputStream(deltaOld), BUFFER);
            try {
                written = new InflatedCopy().copy(in, header.oldSize(), plan.inflate(), out);
            } finally {
                out.close();
            }
        } finally {
            in.close();
        }
        if (written != header.deltaOldSize()) {
            throw new ApkPatchException(CORRUPT_PATCH, "corrupt zip-aware patch: the delta-friendly old file is " + written
                    + " bytes, the header says " + header.deltaOldSize());
        }
    }

    /** Replays the instructions into {@code partial}; returns the SHA-256 of what was written. */
    private static byte[] writeNew(File patch, PatchHeader header, PatchPlan plan, File deltaOld, File partial)
            throws IOException, ApkPatchException {
        MessageDigest sha = sha256();
        RandomAccessFile old = new RandomAccessFile(deltaOld, "r");
        InputStream control = null;
        InputStream diff = null;
        InputStream extra = null;
        try {
            control = SectionInput.open(patch, header.sectionOffset(1), header.sectionLength(1));
            diff = SectionInput.open(patch, header.sectionOffset(2), header.sectionLength(2));
            extra = SectionInput.open(patch, header.sectionOffset(3), header.sectionLength(3));
            RecompressingOutput out = new RecompressingOutput(
                    new DigestOutputStream(new BufferedOutputStream(new FileOutputStream(partial), BUFFER), sha), plan.deflate());
            try {
                new BsdiffPlayback(old).play(control, diff, extra, header.deltaNewSize(), out);
                out.finish();
            } finally {
                out.close();
            }
            return sha.digest();
        } finally {
            old.close();
            closeQuietly(control);
            closeQuietly(diff);
            closeQuietly(extra);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            text.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return text.toString();
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // read-only handle; nothing is lost
            }
        }
    }

    private static void delete(File file) {
        if (file != null && file.exists() && !file.delete()) {
            file.deleteOnExit();
        }
    }
}

package dev.packline.packaging.zipdelta;

import static dev.packline.packaging.PackagingException.Problem.IO;
import static dev.packline.packaging.PackagingException.Problem.OVER_BUDGET;
import static dev.packline.packaging.PackagingException.Problem.VERIFICATION_FAILED;

import dev.packline.apkpatch.ApkPatchApplier;
import dev.packline.apkpatch.ApkPatchException;
import dev.packline.apkpatch.AppliedPatch;
import dev.packline.apkpatch.InflateRange;
import dev.packline.apkpatch.InflatedCopy;
import dev.packline.apkpatch.PatchHeader;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.internal.apk.ApkLayout;
import dev.packline.packaging.internal.bsdiff.BsdiffScan;
import dev.packline.packaging.internal.bsdiff.SuffixArray;
import dev.packline.packaging.internal.io.FileRegions;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.UnsupportedOptionsException;
import org.tukaani.xz.XZOutputStream;

/**
 * Makes zip-aware APK patches (format: docs/packaging.md, "Zip-aware patches"), step by step:
 * read both archives' entries; plan which entries to inflate ({@link EntryPlanner}); build both
 * delta-friendly files in the heap; run bsdiff between them into three LZMA streams; write the
 * header, the plan and the streams to a partial file; apply it once with the client applier to
 * check that it gives the new APK byte for byte; only then rename it to the patch name.
 *
 * <p>Heap: both delta-friendly files plus the suffix sorting (about 11 bytes per delta-friendly old
 * byte, see {@link SuffixArray}); it is computed after planning and refused up front when the JVM
 * cannot hold it.
 */
public final class ZipDeltaMaker {
    /** LZMA2 preset 6: an 8 MiB dictionary at most, what the applier's memory bound assumes. */
    private static final int LZMA_PRESET = 6;
    private static final long ARRAY_MAX = Integer.MAX_VALUE - 64;
    private static final long OVERHEAD = 64L << 20;

    /** Writes a patch turning {@code oldApk} into {@code newApk}, checked by applying it once. */
    public ZipDeltaReport make(Path oldApk, Path newApk, Path patch) throws PackagingException {
        long started = System.nanoTime();
        ApkLayout.requireReadable(oldApk);
        ApkLayout.requireReadable(newApk);
        try (FileChannel oldFile = FileChannel.open(oldApk, StandardOpenOption.READ);
                FileChannel newFile = FileChannel.open(newApk, StandardOpenOption.READ)) {
            EntryPlan plan = new EntryPlanner().plan(ArchiveEntries.read(oldApk, oldFile), oldFile,
                    ArchiveEntries.read(newApk, newFile), newFile);
            long deltaOldSize = deltaSize(oldFile.size(), plan.oldInflate());
            long deltaNewSize = deltaSize(newFile.size(), plan.newInflate());
            requireHeap(deltaOldSize, deltaNewSize);
            long planned = System.nanoTime();

            byte[] deltaOld = deltaFriendly(oldFile, plan.oldInflate(), deltaOldSize);
            byte[] deltaNew = deltaFriendly(newFile, plan.newInflate(), deltaNewSize);
            long built = System.nanoTime();

            byte[][] sections = sections(plan, deltaOld, deltaNew);
            deltaOld = null;
            deltaNew = null;
            byte[] oldSha = HexFormat.of().parseHex(FileRegions.sha256(oldFile));
            byte[] newSha = HexFormat.of().parseHex(FileRegions.sha256(newFile));
            MessageDigest sectionsSha = FileRegions.sha256();
            for (byte[] section : sections) {
                sectionsSha.update(section);
            }
            PatchHeader header = new PatchHeader(oldFile.size(), oldSha, newFile.size(), newSha, deltaOldSize, deltaNewSize,
                    new long[] {sections[0].length, sections[1].length, sections[2].length, sections[3].length}, sectionsSha.digest());
            long diffed = System.nanoTime();

            Path partial = Files.createTempFile(patch.toAbsolutePath().getParent(), ".packline-", ".partial");
            try {
                try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.WRITE)) {
                    header.write(out);
                    for (byte[] section : sections) {
                        out.write(section);
                    }
                }
                verify(oldApk, partial, newFile.size(), HexFormat.of().formatHex(newSha));
                Files.move(partial, patch, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            long verified = System.nanoTime();
            EntryPlan.Counts counts = plan.counts();
            return new ZipDeltaReport(oldFile.size(), newFile.size(), Files.size(patch), HexFormat.of().formatHex(oldSha),
                    HexFormat.of().formatHex(newSha), deltaOldSize, deltaNewSize,
                    new ZipDeltaReport.PartBytes(PatchHeader.LENGTH, sections[0].length, sections[1].length, sections[2].length,
                            sections[3].length),
                    new ZipDeltaReport.Entries(counts.entries(), counts.deflated(), counts.unchanged(), counts.recompressed(),
                            counts.notReproducible(), counts.notReproducibleNames(), plan.oldInflate().size(), counts.settingsTried()),
                    new ZipDeltaReport.Millis(millis(started, planned), millis(planned, built), millis(built, diffed),
                            millis(diffed, verified)));
        } catch (IOException e) {
            throw new PackagingException(IO, "cannot make a zip-aware patch from " + oldApk + " to " + newApk + ": " + e.getMessage(), e);
        }
    }

    private static long deltaSize(long fileSize, List<InflateRange> ranges) {
        long size = fileSize;
        for (InflateRange range : ranges) {
            size += range.uncompressedLength() - range.compressedLength();
        }
        return size;
    }

    private static void requireHeap(long deltaOld, long deltaNew) throws PackagingException {
        if (deltaOld > ARRAY_MAX || deltaNew > ARRAY_MAX) {
            throw new PackagingException(OVER_BUDGET, "the delta-friendly files would be " + deltaOld + " and " + deltaNew
                    + " bytes; the zip-aware maker handles up to 2 GiB each");
        }
        long encoders = 2L * options(deltaNew).getEncoderMemoryUsage() << 10; // the diff and extra streams' LZMA2 encoders
        long need = 12 * deltaOld + deltaNew + encoders + OVERHEAD;
        long available = Runtime.getRuntime().maxMemory();
        if (need > available) {
            throw new PackagingException(OVER_BUDGET, "making this zip-aware patch needs about " + (need >> 20) + " MiB of heap (delta-friendly "
                    + "files of " + deltaOld + " and " + deltaNew + " bytes, about 11 bytes of suffix sorting per old byte, "
                    + (encoders >> 20) + " MiB of LZMA2 encoders), the JVM allows "
                    + (available >> 20) + " MiB; raise -Xmx through PACKLINE_JAVA_OPTS");
        }
    }

    private static byte[] deltaFriendly(FileChannel file, List<InflateRange> ranges, long size) throws IOException, PackagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
        try {
            new InflatedCopy().copy(new BufferedInputStream(Channels.newInputStream(file.position(0)), 1 << 16), file.size(), ranges, out);
        } catch (ApkPatchException e) {
            throw new PackagingException(IO, "an entry changed while the patch was made: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * The four compressed sections: plan, control, diff, extra. The plan and the control stream are
     * small and compressed once complete, so only the diff and extra streams have an LZMA2 encoder
     * open during the scan (preset 6 with an 8 MiB dictionary holds about 93 MiB; three open at once
     * made a 3 MB APK's patch take 350 MB of heap). Each dictionary is at most its stream's length (the
     * diff and extra streams together carry exactly the delta-friendly new file's bytes), so small
     * pairs take small encoders; the applier reads each dictionary size from its stream's header.
     */
    private static byte[][] sections(EntryPlan plan, byte[] deltaOld, byte[] deltaNew) throws IOException {
        ByteArrayOutputStream planRaw = new ByteArrayOutputStream();
        plan.patchPlan().write(planRaw);
        ByteArrayOutputStream controlRaw = new ByteArrayOutputStream();
        DataOutputStream controlOut = new DataOutputStream(controlRaw);
        LZMA2Options scanOptions = options(deltaNew.length);
        ByteArrayOutputStream diff = new ByteArrayOutputStream();
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        try (XZOutputStream diffOut = new XZOutputStream(diff, scanOptions);
                XZOutputStream extraOut = new XZOutputStream(extra, scanOptions)) {
            new BsdiffScan().diff(deltaOld, deltaNew, (add, copy, seek) -> {
                controlOut.writeLong(add);
                controlOut.writeLong(copy);
                controlOut.writeLong(seek);
            }, diffOut, extraOut);
        }
        return new byte[][] {xz(planRaw.toByteArray()), xz(controlRaw.toByteArray()), diff.toByteArray(), extra.toByteArray()};
    }

    /** LZMA2 at preset 6, its dictionary cut down to {@code length} bytes (not below XZ's 4 KiB minimum). */
    static LZMA2Options options(long length) {
        try {
            LZMA2Options options = new LZMA2Options(LZMA_PRESET);
            if (length < options.getDictSize()) {
                options.setDictSize((int) Math.max(LZMA2Options.DICT_SIZE_MIN, length));
            }
            return options;
        } catch (UnsupportedOptionsException e) { // preset 6 and a dictionary between XZ's bounds always are
            throw new IllegalStateException("LZMA2 preset " + LZMA_PRESET + " with a dictionary of " + length + " bytes", e);
        }
    }

    private static byte[] xz(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(out, options(raw.length))) {
            xz.write(raw);
        }
        return out.toByteArray();
    }

    private static void verify(Path oldApk, Path patch, long newSize, String newSha) throws PackagingException, IOException {
        Path check = Files.createTempFile(patch.toAbsolutePath().getParent(), ".packline-", ".check");
        try {
            AppliedPatch applied = new ApkPatchApplier().apply(oldApk.toFile(), patch.toFile(), check.toFile());
            if (applied.newSize() != newSize || !applied.newSha256().equals(newSha)) {
                throw new PackagingException(VERIFICATION_FAILED, "the zip-aware patch does not reproduce the new APK; nothing was written");
            }
        } catch (ApkPatchException e) {
            throw new PackagingException(VERIFICATION_FAILED, "the zip-aware patch does not apply (" + e.getMessage() + "); nothing was written", e);
        } finally {
            Files.deleteIfExists(check);
        }
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }
}

package dev.packline.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.packline.apkpatch.ApkPatchApplier;
import dev.packline.apkpatch.AppliedPatch;
import dev.packline.apkpatch.PatchHeader;
import dev.packline.packaging.zipdelta.ZipDeltaMaker;
import dev.packline.packaging.zipdelta.ZipDeltaReport;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tukaani.xz.XZInputStream;

/**
 * Zip-aware patches between two real signed releases: applied by the client applier, the result
 * is the new APK byte for byte and apksig verifies it; deflated entries are recompressed, the ones
 * zlib cannot reproduce travel compressed; the patch is much smaller than bsdiff's.
 */
class ZipDeltaTest {
    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(ApkReleases.Signing.class)
    void patchGivesTheNewApkByteForByteAndItVerifies(ApkReleases.Signing signing) throws Exception {
        Path oldApk = ApkReleases.build(directory, signing, 1);
        Path newApk = ApkReleases.build(directory, signing, 2);
        Path patch = directory.resolve("old-to-new.zipdelta");

        ZipDeltaReport report = new ZipDeltaMaker().make(oldApk, newApk, patch);
        Path result = directory.resolve("patched.apk");
        AppliedPatch applied = new ApkPatchApplier().apply(oldApk.toFile(), patch.toFile(), result.toFile());

        assertArrayEquals(Files.readAllBytes(newApk), Files.readAllBytes(result));
        assertEquals(Apksig.sha256(newApk), applied.newSha256());
        assertEquals(report.newSha256(), applied.newSha256());
        Apksig.assertVerifies(result, signing == ApkReleases.Signing.V1_V2 ? List.of("v1", "v2")
                : signing == ApkReleases.Signing.V2_ONLY ? List.of("v2") : List.of("v2", "v3"));

        ZipDeltaReport.Entries entries = report.entries();
        assertEquals(List.of(ApkReleases.NOT_REPRODUCIBLE), entries.notReproducibleNames());
        assertEquals(1, entries.unchanged(), "res/raw/unchanged.txt stays compressed");
        // classes.dex, data.json, added.txt, and apksig's deflated v1 files when there are some
        int v1Files = signing == ApkReleases.Signing.V1_V2 ? 3 : 0;
        assertEquals(3 + v1Files, entries.recompressed());
        assertEquals(entries.deflated(), entries.unchanged() + entries.recompressed() + entries.notReproducible());
        assertEquals(report.patchBytes(), Files.size(patch));

        Path bsdiff = directory.resolve("old-to-new.bsdiff");
        long bsdiffBytes = Patcher.withDefaultBudget().make(oldApk, newApk, bsdiff).patchBytes();
        assertTrue(report.patchBytes() * 2 < bsdiffBytes, "zip-aware " + report.patchBytes() + " bytes, bsdiff " + bsdiffBytes);
    }

    /**
     * Each XZ section's dictionary is at most what its stream holds: an 8 MiB dictionary for a
     * patch of a few KB made the maker hold three 93 MiB encoders. XZ for Java refuses a stream whose
     * dictionary needs more than the decoder's memory limit, so 4 MiB fails any 8 MiB stream.
     */
    @Test
    void smallPairsUseDictionariesNoLargerThanTheirStreams() throws Exception {
        Path oldApk = ApkReleases.build(directory, ApkReleases.Signing.V2_V3, 1);
        Path newApk = ApkReleases.build(directory, ApkReleases.Signing.V2_V3, 2);
        Path patch = directory.resolve("small.zipdelta");
        ZipDeltaReport report = new ZipDeltaMaker().make(oldApk, newApk, patch);
        assertTrue(report.deltaNewBytes() < 3 << 20, "the sample's delta-friendly new file is " + report.deltaNewBytes() + " bytes");

        byte[] bytes = Files.readAllBytes(patch);
        PatchHeader header = PatchHeader.read(new ByteArrayInputStream(bytes), bytes.length);
        long[] decoded = new long[4];
        for (int section = 0; section < 4; section++) {
            InputStream in = new ByteArrayInputStream(bytes, (int) header.sectionOffset(section), (int) header.sectionLength(section));
            try (XZInputStream xz = new XZInputStream(in, 4 << 10)) { // KiB: MemoryLimitException for an 8 MiB dictionary
                decoded[section] = xz.readAllBytes().length;
            }
        }
        assertEquals(report.deltaNewBytes(), decoded[2] + decoded[3], "the diff and extra streams carry every delta-friendly new byte");
        assertEquals(0, decoded[1] % 24, "control triples of three longs");
    }

    @Test
    void zip64ArchivesArePatchedExactly() throws Exception {
        Path oldApk = ApkReleases.buildZip64(directory, 1);
        Path newApk = ApkReleases.buildZip64(directory, 2);
        assertTrue(dev.packline.packaging.internal.apk.ApkLayout.read(newApk).zip().zip64());
        Path patch = directory.resolve("zip64.zipdelta");

        ZipDeltaReport report = new ZipDeltaMaker().make(oldApk, newApk, patch);
        Path result = directory.resolve("zip64-patched.apk");
        new ApkPatchApplier().apply(oldApk.toFile(), patch.toFile(), result.toFile());

        assertArrayEquals(Files.readAllBytes(newApk), Files.readAllBytes(result));
        assertEquals(3, report.entries().recompressed());
        assertEquals(2, report.entries().notReproducible());
    }
}

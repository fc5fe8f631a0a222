package dev.packline.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.packline.apkpatch.ApkPatchApplier;
import dev.packline.apkpatch.ApkPatchException;
import dev.packline.apkpatch.ApkPatchException.Failure;
import dev.packline.apkpatch.DeflateRange;
import dev.packline.apkpatch.DeflateSettings;
import dev.packline.apkpatch.PatchHeader;
import dev.packline.apkpatch.PatchPlan;
import dev.packline.packaging.zipdelta.ZipDeltaMaker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Damaged patches and patches for another base are refused with an error naming the problem, and
 * the target file is left as it was, with no temporary file left beside it.
 */
class ZipDeltaRefusalTest {
    @TempDir
    static Path releases;
    static Path oldApk;
    static Path newApk;
    static byte[] patch;

    @TempDir
    Path directory;

    @BeforeAll
    static void makePatch() throws Exception {
        oldApk = ApkReleases.build(releases, ApkReleases.Signing.V2_V3, 1);
        newApk = ApkReleases.build(releases, ApkReleases.Signing.V2_V3, 2);
        Path file = releases.resolve("good.zipdelta");
        new ZipDeltaMaker().make(oldApk, newApk, file);
        patch = Files.readAllBytes(file);
    }

    static Stream<Arguments> damages() throws Exception {
        PatchHeader header = PatchHeader.read(new ByteArrayInputStream(patch), patch.length);
        return Stream.of(
                Arguments.of("no magic", Failure.CORRUPT_PATCH, "no PLZDELTA magic", flip(0)),
                Arguments.of("unknown version", Failure.CORRUPT_PATCH, "version", flip(11)),
                Arguments.of("old SHA-256 changed", Failure.WRONG_BASE, "another old APK", flip(30)),
                Arguments.of("truncated", Failure.CORRUPT_PATCH, "truncated",
                        (UnaryOperator<byte[]>) bytes -> Arrays.copyOf(bytes, bytes.length - 10)),
                Arguments.of("header only", Failure.CORRUPT_PATCH, "shorter than its 172-byte header",
                        (UnaryOperator<byte[]>) bytes -> Arrays.copyOf(bytes, 100)),
                Arguments.of("plan damaged", Failure.CORRUPT_PATCH, "does not match the SHA-256", flip((int) header.sectionOffset(0) + 30)),
                Arguments.of("control damaged", Failure.CORRUPT_PATCH, "does not match the SHA-256", flip((int) header.sectionOffset(1) + 30)),
                Arguments.of("diff damaged", Failure.CORRUPT_PATCH, "does not match the SHA-256", flip((int) header.sectionOffset(2) + 40)),
                Arguments.of("extra damaged", Failure.CORRUPT_PATCH, "does not match the SHA-256", flip((int) header.sectionOffset(3) + 40)),
                Arguments.of("sections checksum damaged", Failure.CORRUPT_PATCH, "does not match the SHA-256", flip(PatchHeader.LENGTH - 1)),
                Arguments.of("new SHA-256 changed", Failure.RESULT_MISMATCH, "the patch promises", flip(70)),
                Arguments.of("an entry's deflate level changed", Failure.RECOMPRESSION_MISMATCH, "entry classes.dex recompressed",
                        (UnaryOperator<byte[]>) ZipDeltaRefusalTest::changeClassesDexLevel));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void damagedPatchesAreRefusedAndTheTargetIsUntouched(String damage, Failure failure, String message, UnaryOperator<byte[]> change)
            throws Exception {
        Path damaged = Files.write(directory.resolve("damaged.zipdelta"), change.apply(patch.clone()));
        Path target = Files.writeString(directory.resolve("target.apk"), "previous content", StandardCharsets.UTF_8);

        ApkPatchException refused = assertThrows(ApkPatchException.class,
                () -> new ApkPatchApplier().apply(oldApk.toFile(), damaged.toFile(), target.toFile()));

        assertEquals(failure, refused.failure(), refused.getMessage());
        assertTrue(refused.getMessage().contains(message), refused.getMessage());
        assertEquals("previous content", Files.readString(target));
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of("damaged.zipdelta", "target.apk"), files.map(file -> file.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aPatchForAnotherBaseIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path patchFile = Files.write(directory.resolve("good.zipdelta"), patch);
        Path other = ApkReleases.build(directory, ApkReleases.Signing.V2_ONLY, 1);
        Path target = directory.resolve("never.apk");

        ApkPatchException refused = assertThrows(ApkPatchException.class,
                () -> new ApkPatchApplier().apply(other.toFile(), patchFile.toFile(), target.toFile()));

        assertEquals(Failure.WRONG_BASE, refused.failure());
        assertTrue(refused.getMessage().startsWith("the patch is for another old APK"), refused.getMessage());
        assertTrue(Files.notExists(target));
        ApkPatchException newAsBase = assertThrows(ApkPatchException.class,
                () -> new ApkPatchApplier().apply(newApk.toFile(), patchFile.toFile(), target.toFile()));
        assertEquals(Failure.WRONG_BASE, newAsBase.failure());
    }

    @Test
    void theGoodPatchStillApplies() throws Exception {
        Path patchFile = Files.write(directory.resolve("good.zipdelta"), patch);
        Path target = directory.resolve("new.apk");
        new ApkPatchApplier().apply(oldApk.toFile(), patchFile.toFile(), target.toFile());
        assertArrayEquals(Files.readAllBytes(newApk), Files.readAllBytes(target));
    }

    private static UnaryOperator<byte[]> flip(int offset) {
        return bytes -> {
            bytes[offset] ^= 0x5a;
            return bytes;
        };
    }

    private static byte[] sectionsSha256(byte[] plan, byte[] bytes, PatchHeader header) throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update(plan);
        sha.update(bytes, (int) header.sectionOffset(1), bytes.length - (int) header.sectionOffset(1));
        return sha.digest();
    }

    /** Re-encodes the plan with classes.dex's level off by one: a valid patch whose entry cannot come out right. */
    private static byte[] changeClassesDexLevel(byte[] bytes) {
        try {
            Path file = Files.createTempFile("plan-", ".zipdelta");
            try {
                Files.write(file, bytes);
                PatchHeader header = PatchHeader.read(new ByteArrayInputStream(bytes), bytes.length);
                PatchPlan plan = PatchPlan.read(file.toFile(), header);
                List<DeflateRange> ranges = new ArrayList<>();
                for (DeflateRange range : plan.deflate()) {
                    DeflateSettings settings = range.settings();
                    if (range.name().equals("classes.dex")) {
                        settings = new DeflateSettings(settings.level() == 9 ? 5 : 9, settings.strategy(), settings.nowrap());
                    }
                    ranges.add(new DeflateRange(range.name(), range.offset(), range.uncompressedLength(), range.compressedLength(),
                            range.compressedCrc32(), settings));
                }
                ByteArrayOutputStream section = new ByteArrayOutputStream();
                try (XZOutputStream out = new XZOutputStream(section, new LZMA2Options(6))) {
                    new PatchPlan(plan.inflate(), ranges).write(out);
                }
                ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
                new PatchHeader(header.oldSize(), header.oldSha256(), header.newSize(), header.newSha256(), header.deltaOldSize(),
                        header.deltaNewSize(), new long[] {section.size(), header.sectionLength(1), header.sectionLength(2),
                                header.sectionLength(3)}, sectionsSha256(section.toByteArray(), bytes, header)).write(rebuilt);
                rebuilt.write(section.toByteArray());
                rebuilt.write(bytes, (int) header.sectionOffset(1), bytes.length - (int) header.sectionOffset(1));
                return rebuilt.toByteArray();
            } finally {
                Files.delete(file);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

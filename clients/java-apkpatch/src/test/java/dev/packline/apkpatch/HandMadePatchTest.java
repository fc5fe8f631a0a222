package dev.packline.apkpatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Patches written by hand from the format description (docs/packaging.md), without the maker:
 * what an applier in another language must do, checked on this one. The "archives" are plain byte
 * strings with deflated ranges, which is all the applier sees of an APK.
 */
class HandMadePatchTest {
    private static final byte[] TEXT = "packline zip-aware patches, 渠道 ".repeat(400).getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path directory;

    @Test
    void rangesAreInflatedDiffedAndDeflatedAgainWithTheirOwnSettings() throws Exception {
        byte[] oldDeflated = deflate(TEXT, new DeflateSettings(6, 0, true));
        byte[] changed = TEXT.clone();
        changed[100] = 'X';
        DeflateSettings zlibWrapped = new DeflateSettings(9, 1, false);
        byte[] newDeflated = deflate(changed, zlibWrapped);
        DeflateSettings emptyRaw = new DeflateSettings(1, 0, true);
        byte[] emptyDeflated = deflate(new byte[0], emptyRaw);
        byte[] oldFile = concat(ascii("HEAD"), oldDeflated, ascii("TAIL"));
        byte[] newFile = concat(ascii("HEAD"), newDeflated, ascii("MID"), emptyDeflated, ascii("END!"));

        // delta-friendly old: HEAD + TEXT + TAIL; delta-friendly new: HEAD + changed + MID + (nothing) + END!
        byte[] deltaNew = concat(ascii("HEAD"), changed, ascii("MID"), ascii("END!"));
        PatchPlan plan = new PatchPlan(
                List.of(new InflateRange("old.txt", 4, oldDeflated.length, TEXT.length)),
                List.of(new DeflateRange("new.txt", 4, changed.length, newDeflated.length, crc(newDeflated), zlibWrapped),
                        new DeflateRange("empty.txt", 4 + changed.length + 3, 0, emptyDeflated.length, crc(emptyDeflated), emptyRaw)));
        // control: add the first 4 + TEXT.length bytes from the old file (diff zero but one byte), copy the rest as extra
        int added = 4 + changed.length;
        byte[] diff = new byte[added];
        diff[104] = (byte) ('X' - TEXT[100]);
        ByteArrayOutputStream control = new ByteArrayOutputStream();
        DataOutputStream triples = new DataOutputStream(control);
        triples.writeLong(added);
        triples.writeLong(deltaNew.length - added);
        triples.writeLong(-added);
        byte[] extra = concat(ascii("MID"), ascii("END!"));

        Path patch = write(oldFile, newFile, 4 + TEXT.length + 4, deltaNew.length, plan, control.toByteArray(), diff, extra);
        Path oldPath = Files.write(directory.resolve("old.bin"), oldFile);
        Path out = directory.resolve("new.bin");
        AppliedPatch applied = new ApkPatchApplier().apply(oldPath.toFile(), patch.toFile(), out.toFile());

        assertArrayEquals(newFile, Files.readAllBytes(out));
        assertEquals(2, applied.entriesRecompressed());
        assertEquals(1, applied.entriesInflated());
        assertTrue(PatchHeader.isZipAwarePatch(patch.toFile()));
        assertTrue(!PatchHeader.isZipAwarePatch(oldPath.toFile()));
    }

    @Test
    void plansThatOverlapOrLeaveTheFileOrCarryUnknownSettingsAreRefused() throws Exception {
        DeflateSettings settings = new DeflateSettings(6, 0, true);
        List<PatchPlan> bad = List.of(
                new PatchPlan(List.of(new InflateRange("a", 10, 20, 40), new InflateRange("b", 25, 5, 5)), List.of()),
                new PatchPlan(List.of(new InflateRange("a", 90, 20, 40)), List.of()),
                new PatchPlan(List.of(), List.of(new DeflateRange("c", 0, 300, 10, 0, settings))));
        for (PatchPlan plan : bad) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            plan.write(bytes);
            ApkPatchException refused = assertThrows(ApkPatchException.class,
                    () -> PatchPlan.read(new ByteArrayInputStream(bytes.toByteArray()), 100, 200));
            assertEquals(ApkPatchException.Failure.CORRUPT_PATCH, refused.failure());
            assertTrue(refused.getMessage().contains("overlaps the previous one or lies outside"), refused.getMessage());
        }
        ByteArrayOutputStream unknown = new ByteArrayOutputStream();
        new PatchPlan(List.of(), List.of(new DeflateRange("d", 0, 10, 10, 0, settings))).write(unknown);
        byte[] bytes = unknown.toByteArray();
        bytes[4 + 4 + 24 + 4] = 12; // the level byte
        ApkPatchException refused = assertThrows(ApkPatchException.class, () -> PatchPlan.read(new ByteArrayInputStream(bytes), 100, 200));
        assertTrue(refused.getMessage().contains("deflate settings 12/0/1 that do not exist"), refused.getMessage());
    }

    private Path write(byte[] oldFile, byte[] newFile, long deltaOld, long deltaNew, PatchPlan plan, byte[] control, byte[] diff,
            byte[] extra) throws Exception {
        ByteArrayOutputStream planBytes = new ByteArrayOutputStream();
        plan.write(planBytes);
        byte[][] sections = {xz(planBytes.toByteArray()), xz(control), xz(diff), xz(extra)};
        MessageDigest sectionsSha = MessageDigest.getInstance("SHA-256");
        for (byte[] section : sections) {
            sectionsSha.update(section);
        }
        ByteArrayOutputStream patch = new ByteArrayOutputStream();
        new PatchHeader(oldFile.length, sha256(oldFile), newFile.length, sha256(newFile), deltaOld, deltaNew,
                new long[] {sections[0].length, sections[1].length, sections[2].length, sections[3].length}, sectionsSha.digest())
                .write(patch);
        for (byte[] section : sections) {
            patch.write(section);
        }
        return Files.write(directory.resolve("hand.zipdelta"), patch.toByteArray());
    }

    private static byte[] deflate(byte[] data, DeflateSettings settings) {
        Deflater deflater = settings.newDeflater();
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static byte[] xz(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options(6))) {
            xz.write(data);
        }
        return out.toByteArray();
    }

    private static int crc(byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        return (int) crc.getValue();
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part);
        }
        return out.toByteArray();
    }
}

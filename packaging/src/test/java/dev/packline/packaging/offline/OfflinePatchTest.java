package dev.packline.packaging.offline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.packline.packaging.PackagingException;
import dev.packline.packaging.PackagingException.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflinePatchTest {
    @TempDir
    Path dir;

    @Test
    void makesTheGoldenPatchAndItRebuildsTheNewPackage() throws Exception {
        Path patch = dir.resolve("made.patch");
        OfflinePatchMaker.Made made = new OfflinePatchMaker().make(OfflineGolden.file("news-1.0.0.zip"), OfflineGolden.file("news-1.1.0.zip"), patch);
        assertArrayEquals(Files.readAllBytes(OfflineGolden.file("news-1.0.0-to-1.1.0.patch")), Files.readAllBytes(patch),
                "the patch maker's output for the golden pair changed");
        assertEquals(List.of(1, 2, 2, 2), List.of(made.unchanged(), made.changed(), made.added(), made.removed()));
        assertEquals(1, made.encodings().get(PatchEncoding.BSDIFF_GZIP), "the renamed app.*.js is carried as an increment from its old name");

        Path applied = dir.resolve("applied.zip");
        OfflinePackage result = new OfflinePatchApplier().apply(OfflineGolden.file("news-1.0.0.zip"), patch, applied);
        OfflinePackage expected = new OfflinePackageReader().read(OfflineGolden.file("news-1.1.0.zip"));
        assertEquals(expected.packageSha256(), result.packageSha256());
        assertEquals(made.newPackageSha256(), result.packageSha256());
        assertEquals(expected.files().keySet(), result.files().keySet());
        expected.files().forEach((path, bytes) -> assertArrayEquals(bytes, result.files().get(path), path));
    }

    @Test
    void aPatchForAnotherBaseIsRefusedAndNothingIsWritten() throws Exception {
        Path applied = dir.resolve("applied.zip");
        PackagingException e = assertThrows(PackagingException.class, () -> new OfflinePatchApplier()
                .apply(OfflineGolden.file("news-1.1.0.zip"), OfflineGolden.file("news-1.0.0-to-1.1.0.patch"), applied));
        assertEquals(Problem.REFUSED, e.problem());
        assertTrue(e.getMessage().contains("was made for another base") && e.getMessage().contains("news 1.1.0"), e.getMessage());
        assertFalse(Files.exists(applied));
    }

    @Test
    void tamperedPatchesAreRefusedWithoutOutput() throws Exception {
        Map<String, byte[]> golden = entries(OfflineGolden.file("news-1.0.0-to-1.1.0.patch"));
        String patchJson = new String(golden.get("patch.json"), StandardCharsets.UTF_8);
        record Case(String name, String entry, byte[] bytes, Problem problem, String expected) {
        }
        byte[] flipped = golden.get("files/0").clone();
        flipped[3] ^= 1;
        byte[] otherBase = patchJson.replace("\"baseSha256\":\"7cc7", "\"baseSha256\":\"0cc7").getBytes(StandardCharsets.UTF_8);
        List<Case> cases = List.of(
                new Case("stored payload changed", "files/0", flipped, Problem.VERIFICATION_FAILED, "gave 'css/site.css' a SHA-256 other"),
                new Case("increment base changed", "patch.json", otherBase, Problem.REFUSED, "builds 'js/app.77b1e0.js' from 'js/app.3f2a9c.js'"),
                new Case("manifest changed", "manifest.json", "{}".getBytes(StandardCharsets.UTF_8), Problem.INVALID_ARGUMENT,
                        "is not the new package's"),
                new Case("payload missing", "files/3", null, Problem.INVALID_ARGUMENT, "the entry \"files/3\" for 'js/extra.js' is missing"),
                new Case("removed but listed", "patch.json", patchJson.replace("\"path\":\"js/legacy.js\"", "\"path\":\"img/logo.svg\"")
                        .getBytes(StandardCharsets.UTF_8), Problem.INVALID_ARGUMENT, "'img/logo.svg' is listed as removed"),
                new Case("not a patch", "patch.json", "[]".getBytes(StandardCharsets.UTF_8), Problem.INVALID_ARGUMENT, "is not a JSON object"));
        for (Case c : cases) {
            Map<String, byte[]> entries = new TreeMap<>(golden);
            if (c.bytes() == null) {
                entries.remove(c.entry());
            } else {
                entries.put(c.entry(), c.bytes());
            }
            Path patch = dir.resolve("tampered.patch");
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(patch))) {
                for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                    out.putNextEntry(new ZipEntry(entry.getKey()));
                    out.write(entry.getValue());
                    out.closeEntry();
                }
            }
            Path applied = dir.resolve("applied.zip");
            PackagingException e = assertThrows(PackagingException.class,
                    () -> new OfflinePatchApplier().apply(OfflineGolden.file("news-1.0.0.zip"), patch, applied), c.name());
            assertEquals(c.problem(), e.problem(), c.name() + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(c.expected()), c.name() + ": " + e.getMessage());
            try (var files = Files.list(dir)) {
                assertEquals(List.of("tampered.patch"), files.map(file -> file.getFileName().toString()).toList(), c.name());
            }
        }
    }

    @Test
    void patchesBetweenDifferentPackagesAreRefused() throws Exception {
        Path other = dir.resolve("other.zip");
        new OfflinePackageWriter().pack(OfflineGolden.file("new"), new OfflinePackageWriter.Identity("sports", "1.1.0", PackageRole.SUB,
                java.util.Optional.empty(), LoadingStrategy.IDLE), other);
        PackagingException e = assertThrows(PackagingException.class,
                () -> new OfflinePatchMaker().make(OfflineGolden.file("news-1.0.0.zip"), other, dir.resolve("x.patch")));
        assertTrue(e.getMessage().contains("'news' and 'sports'"), e.getMessage());
    }

    @Test
    void everyPatchEntryIsStoredSoAClientReadsItWithoutInflating() throws Exception {
        try (ZipFile zip = new ZipFile(OfflineGolden.file("news-1.0.0-to-1.1.0.patch").toFile())) {
            assertTrue(zip.stream().allMatch(entry -> entry.getMethod() == ZipEntry.STORED));
            assertEquals("patch.json", zip.stream().findFirst().orElseThrow().getName());
        }
    }

    private static Map<String, byte[]> entries(Path zip) throws Exception {
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(file.entries())) {
                entries.put(entry.getName(), file.getInputStream(entry).readAllBytes());
            }
        }
        return entries;
    }
}

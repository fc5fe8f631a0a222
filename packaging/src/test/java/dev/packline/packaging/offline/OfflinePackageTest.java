package dev.packline.packaging.offline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.packline.packaging.PackagingException;
import dev.packline.packaging.PackagingException.Problem;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflinePackageTest {
    @TempDir
    Path dir;

    @Test
    void packsAndVerifiesTheGoldenPackages() throws Exception {
        OfflinePackage older = new OfflinePackageReader().read(OfflineGolden.file("news-1.0.0.zip"));
        assertEquals("news", older.manifest().id());
        assertEquals("1.0.0", older.manifest().version());
        assertEquals(PackageRole.MAIN, older.manifest().role());
        assertEquals(Optional.of("2.0.0"), older.manifest().requiresCommon());
        assertEquals(LoadingStrategy.SCENE, older.manifest().loading());
        assertEquals(List.of("css/site.css", "img/logo.svg", "index.html", "js/app.3f2a9c.js", "js/legacy.js"),
                List.copyOf(older.files().keySet()));
        Path packed = dir.resolve("packed.zip");
        OfflinePackage again = new OfflinePackageWriter().pack(OfflineGolden.file("old"), OfflineGolden.NEWS_1_0, packed);
        assertEquals(older.packageSha256(), again.packageSha256(), "the same directory gives the same manifest");
        assertArrayEquals(Files.readAllBytes(OfflineGolden.file("news-1.0.0.zip")), Files.readAllBytes(packed));
    }

    @Test
    void refusesEntriesEscapingTheRootSymlinksAndDuplicates() throws Exception {
        record Case(String name, String entry, boolean symlink, String expected) {
        }
        List<Case> cases = List.of(
                new Case("parent segment", "js/../../evil.js", false, "a '..' segment that escapes the package root"),
                new Case("leading parent", "../evil.js", false, "a '..' segment"),
                new Case("absolute", "/etc/cron.d/evil", false, "an absolute path"),
                // a DOS-made entry's backslashes are separators (commons-compress turns them into '/'), so this is '../evil.js'
                new Case("backslash parent", "..\\evil.js", false, "a '..' segment"),
                new Case("drive letter", "C:/evil.js", false, "a drive letter"),
                new Case("symlink", "js/link.js", true, "is a symbolic link"),
                new Case("duplicate", "index.html", false, "appears more than once"));
        for (Case c : cases) {
            Path zip = dir.resolve(c.name().replace(' ', '-') + ".zip");
            writeZip(zip, Map.of(), c.entry(), c.symlink());
            PackagingException e = assertThrows(PackagingException.class, () -> new OfflinePackageReader().read(zip), c.name());
            assertEquals(Problem.REFUSED, e.problem(), c.name());
            assertTrue(e.getMessage().contains(c.expected()) && e.getMessage().contains(c.entry().replace('\\', '/')), c.name() + ": " + e.getMessage());
        }
    }

    @Test
    void refusesPackagesWhoseManifestDoesNotMatchTheirFiles() throws Exception {
        OfflinePackage golden = new OfflinePackageReader().read(OfflineGolden.file("news-1.0.0.zip"));
        String manifest = new String(golden.manifestBytes(), StandardCharsets.UTF_8);
        record Case(String name, Map<String, String> replaceInFiles, String manifest, Problem problem, String expected) {
        }
        List<Case> cases = List.of(
                new Case("changed file", Map.of("css/site.css", "body{}"), manifest, Problem.VERIFICATION_FAILED,
                        "'css/site.css' has 6 bytes, the manifest says"),
                new Case("same size, other bytes", Map.of("js/legacy.js", "window.legacy=fals;\n"), manifest, Problem.VERIFICATION_FAILED,
                        "'js/legacy.js' does not have the SHA-256 the manifest lists"),
                new Case("unlisted file", Map.of("js/extra.js", "1"), manifest, Problem.VERIFICATION_FAILED,
                        "'js/extra.js' is in the zip but not in the manifest"),
                new Case("missing file", Map.of(), manifest.replace("\"files\" : {", "\"files\" : {\n    \"gone.js\" : {\"sha256\" : \""
                        + "0".repeat(64) + "\", \"size\" : 1},"), Problem.VERIFICATION_FAILED, "'gone.js' is in the manifest but not in the zip"),
                new Case("bad role", Map.of(), manifest.replace("\"main\"", "\"primary\""), Problem.INVALID_ARGUMENT,
                        "role must be main, sub or common"),
                new Case("bad loading and version", Map.of(), manifest.replace("\"scene\"", "\"sometimes\"").replace("\"manifestVersion\" : 1",
                        "\"manifestVersion\" : 9"), Problem.INVALID_ARGUMENT, "manifestVersion must be 1"),
                new Case("escaping manifest path", Map.of(), manifest.replace("\"js/legacy.js\"", "\"../legacy.js\""), Problem.INVALID_ARGUMENT,
                        "files has a '..' segment"),
                new Case("no manifest", Map.of(), null, Problem.INVALID_ARGUMENT, "has no manifest.json at its root"));
        for (Case c : cases) {
            Map<String, byte[]> files = new java.util.TreeMap<>(golden.files());
            c.replaceInFiles().forEach((path, text) -> files.put(path, text.getBytes(StandardCharsets.UTF_8)));
            Path zip = dir.resolve("case.zip");
            try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(Files.newOutputStream(zip))) {
                if (c.manifest() != null) {
                    entry(out, OfflineManifest.NAME, c.manifest().getBytes(StandardCharsets.UTF_8), false);
                }
                for (Map.Entry<String, byte[]> file : files.entrySet()) {
                    entry(out, file.getKey(), file.getValue(), false);
                }
            }
            PackagingException e = assertThrows(PackagingException.class, () -> new OfflinePackageReader().read(zip), c.name());
            assertEquals(c.problem(), e.problem(), c.name() + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(c.expected()), c.name() + ": " + e.getMessage());
        }
        Files.writeString(dir.resolve("text.zip"), "not a zip at all");
        PackagingException notZip = assertThrows(PackagingException.class, () -> new OfflinePackageReader().read(dir.resolve("text.zip")));
        assertTrue(notZip.getMessage().contains("not a readable ZIP archive"), notZip.getMessage());
        assertEquals(Problem.UNREADABLE_INPUT,
                assertThrows(PackagingException.class, () -> new OfflinePackageReader().read(dir.resolve("none.zip"))).problem());
    }

    @Test
    void aCommonPackageRequiresNoCommonPackage() {
        String manifest = "{\"manifestVersion\":1,\"id\":\"base\",\"version\":\"2.0.0\",\"role\":\"common\",\"requiresCommon\":\"1\","
                + "\"loading\":\"startup\",\"files\":{}}";
        PackagingException e = assertThrows(PackagingException.class,
                () -> OfflineManifest.parse(manifest.getBytes(StandardCharsets.UTF_8), "test"));
        assertTrue(e.getMessage().contains("a common package cannot require a common package"), e.getMessage());
    }

    /** The golden old package's files plus one extra entry named {@code extra}, optionally a symbolic link. */
    private static void writeZip(Path zip, Map<String, byte[]> more, String extra, boolean symlink) throws Exception {
        OfflinePackage golden = new OfflinePackageReader().read(OfflineGolden.file("news-1.0.0.zip"));
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(Files.newOutputStream(zip))) {
            entry(out, OfflineManifest.NAME, golden.manifestBytes(), false);
            for (Map.Entry<String, byte[]> file : golden.files().entrySet()) {
                entry(out, file.getKey(), file.getValue(), false);
            }
            entry(out, extra, "x".getBytes(StandardCharsets.UTF_8), symlink);
        }
    }

    private static void entry(ZipArchiveOutputStream out, String name, byte[] bytes, boolean symlink) throws Exception {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        if (symlink) {
            entry.setUnixMode(0120777);
        }
        out.putArchiveEntry(entry);
        OutputStream stream = out;
        stream.write(bytes);
        out.closeArchiveEntry();
    }
}

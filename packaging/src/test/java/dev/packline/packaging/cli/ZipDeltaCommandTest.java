package dev.packline.packaging.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.packaging.ApkReleases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code diff make --format zip-aware}, {@code diff apply} telling the formats apart, and {@code diff explain}, as a user runs them. */
class ZipDeltaCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    record Run(int exitCode, String stdout, String stderr) {
        JsonNode json() throws Exception {
            return JSON.readTree(stdout);
        }
    }

    @Test
    void makeExplainAndApplyAZipAwarePatch() throws Exception {
        Path oldApk = ApkReleases.build(directory, ApkReleases.Signing.V1_V2, 1);
        Path newApk = ApkReleases.build(directory, ApkReleases.Signing.V1_V2, 2);
        Path patch = directory.resolve("p.zipdelta");

        Run make = diff("make", "--format", "zip-aware", "--old", oldApk.toString(), "--new", newApk.toString(), "--out", patch.toString());
        assertEquals(0, make.exitCode(), make.stderr());
        JsonNode report = make.json();
        assertEquals("zip-aware", report.get("format").asText());
        assertEquals(Files.size(patch), report.get("patchBytes").asLong());
        JsonNode parts = report.get("parts");
        assertEquals(Files.size(patch), parts.get("header").asLong() + parts.get("plan").asLong() + parts.get("control").asLong()
                + parts.get("diff").asLong() + parts.get("extra").asLong());
        assertEquals(2, report.get("entries").get("notReproducible").asInt());

        Run explain = diff("explain", "--patch", patch.toString());
        assertEquals(0, explain.exitCode(), explain.stderr());
        JsonNode explanation = explain.json().get("explanation");
        assertEquals(report.get("entries").get("recompressed").asInt(), explanation.get("entriesRecompressed").asInt());
        assertEquals(report.get("newSha256").asText(), explanation.get("newSha256").asText());
        assertEquals(parts, explanation.get("parts"));

        Path rebuilt = directory.resolve("rebuilt.apk");
        Run apply = diff("apply", "--old", oldApk.toString(), "--patch", patch.toString(), "--out", rebuilt.toString());
        assertEquals(0, apply.exitCode(), apply.stderr());
        assertEquals("zip-aware", apply.json().get("format").asText());
        assertArrayEquals(Files.readAllBytes(newApk), Files.readAllBytes(rebuilt));

        Run wrongBase = diff("apply", "--old", newApk.toString(), "--patch", patch.toString(), "--out", directory.resolve("x.apk").toString());
        assertEquals(2, wrongBase.exitCode());
        assertTrue(wrongBase.stderr().startsWith("packline: the patch is for another old APK"), wrongBase.stderr());
        assertTrue(Files.notExists(directory.resolve("x.apk")));

        byte[] damaged = Files.readAllBytes(patch);
        damaged[damaged.length - 5] ^= 1;
        Files.write(patch, damaged);
        Run corrupt = diff("explain", "--patch", patch.toString());
        assertEquals(0, corrupt.exitCode(), "explain reads only the header and plan");
        Run refused = diff("apply", "--old", oldApk.toString(), "--patch", patch.toString(), "--out", rebuilt.toString());
        assertEquals(2, refused.exitCode());
        assertTrue(refused.stderr().contains("corrupt zip-aware patch"), refused.stderr());
        assertArrayEquals(Files.readAllBytes(newApk), Files.readAllBytes(rebuilt), "the earlier result is left as it was");
    }

    @Test
    void explainRefusesAFileThatIsNoZipAwarePatch() throws Exception {
        Path notPatch = Files.writeString(directory.resolve("x.bsdiff"), "BSDIFF40 and more");
        Run run = diff("explain", "--patch", notPatch.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.stderr().contains("not a zip-aware APK patch"), run.stderr());
        assertEquals(3, diff("explain", "--patch", directory.resolve("missing").toString()).exitCode());
    }

    private static Run diff(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new DiffCommand(new Console(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8))).run(List.of(args));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

package dev.packline.packaging.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code diff make|apply --format chunk|bsdiff-gz|offline} and {@code offline inspect|verify|pack} as a user runs them. */
class IncrementCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int exitCode, JsonNode json, String stderr) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunk", "bsdiff-gz"})
    void makesAndAppliesBundleIncrements(String format) throws Exception {
        Path patch = dir.resolve("p");
        Run made = diff("make", "--format", format, "--old", golden("increment", "old.js"), "--new", golden("increment", "new.js"),
                "--out", patch.toString());
        assertEquals(0, made.exitCode(), made.stderr());
        assertEquals(format, made.json().get("format").asText());
        assertEquals(Files.size(patch), made.json().get("patchBytes").asLong());
        Run applied = diff("apply", "--old", golden("increment", "old.js"), "--patch", patch.toString(), "--out", dir.resolve("new.js").toString());
        assertEquals(0, applied.exitCode(), applied.stderr());
        assertEquals(format, applied.json().get("format").asText(), "recognised from the patch");
        assertArrayEquals(Files.readAllBytes(Path.of(golden("increment", "new.js"))), Files.readAllBytes(dir.resolve("new.js")));
        assertEquals(List.of("new.js", "p"), list(), "no scratch file is left behind");
    }

    @Test
    void chunkSizeIsTakenAndCheckedAndAWrongBaseExitsWithRefused() throws Exception {
        Path patch = dir.resolve("p.json");
        Run made = diff("make", "--format", "chunk", "--chunk-size", "4", "--old", golden("increment", "old.js"), "--new",
                golden("increment", "new.js"), "--out", patch.toString());
        assertEquals(0, made.exitCode(), made.stderr());
        assertTrue(Files.readString(patch).startsWith("{\"format\":\"chunk\",\"version\":1,\"chunkSize\":4,"));
        Run bad = diff("make", "--format", "chunk", "--chunk-size", "zero", "--old", golden("increment", "old.js"), "--new",
                golden("increment", "new.js"), "--out", patch.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.stderr().contains("chunk size must be 1 to 4096"), bad.stderr());
        Run wrongBase = diff("apply", "--old", golden("increment", "new.js"), "--patch", patch.toString(), "--out", dir.resolve("x").toString());
        assertEquals(6, wrongBase.exitCode());
        assertTrue(wrongBase.stderr().contains("made for another base"), wrongBase.stderr());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void offlinePatchesAndPackagesThroughTheCommands() throws Exception {
        Path older = dir.resolve("old.zip");
        Run packed = offline("pack", golden("offline", "old"), "--id", "news", "--version", "1.0.0", "--role", "main",
                "--requires-common", "2.0.0", "--loading", "scene", "--out", older.toString());
        assertEquals(0, packed.exitCode(), packed.stderr());
        assertArrayEquals(Files.readAllBytes(Path.of(golden("offline", "news-1.0.0.zip"))), Files.readAllBytes(older));
        Run inspected = offline("inspect", older.toString());
        assertEquals("main", inspected.json().get("role").asText());
        assertEquals("2.0.0", inspected.json().get("requiresCommon").asText());
        assertEquals(5, inspected.json().get("files").asInt());
        Run verified = offline("verify", golden("offline", "news-1.1.0.zip"));
        assertTrue(verified.json().get("verified").asBoolean());

        Path patch = dir.resolve("p.patch");
        Run made = diff("make", "--format", "offline", "--old", older.toString(), "--new", golden("offline", "news-1.1.0.zip"), "--out", patch.toString());
        assertEquals(0, made.exitCode(), made.stderr());
        assertEquals(2, made.json().get("removed").asInt());
        Run applied = diff("apply", "--old", older.toString(), "--patch", patch.toString(), "--out", dir.resolve("new.zip").toString());
        assertEquals(0, applied.exitCode(), applied.stderr());
        assertEquals(made.json().get("newPackageSha256"), applied.json().get("packageSha256"));

        Files.writeString(dir.resolve("bad.zip"), "PK but not really");
        Run refused = offline("verify", dir.resolve("bad.zip").toString());
        assertEquals(4, refused.exitCode());
        assertTrue(refused.stderr().startsWith("packline: the offline package"), refused.stderr());
    }

    private Run diff(String... args) throws Exception {
        return run(true, args);
    }

    private Run offline(String... args) throws Exception {
        return run(false, args);
    }

    private static Run run(boolean diff, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = diff ? new DiffCommand(console).run(List.of(args)) : new OfflineCommand(console).run(List.of(args));
        String stdout = out.toString(StandardCharsets.UTF_8);
        return new Run(code, stdout.isBlank() ? null : JSON.readTree(stdout), err.toString(StandardCharsets.UTF_8));
    }

    private static String golden(String area, String name) throws URISyntaxException {
        return Path.of(IncrementCommandsTest.class.getResource("/dev/packline/packaging/" + area + "/golden/" + name).toURI()).toString();
    }

    private List<String> list() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}

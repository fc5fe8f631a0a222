package dev.packline.packaging.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.android.apksig.ApkVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.packaging.ChannelReader;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.sample.SampleApkBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code channel write} on real signed mothers (SampleApkBuilder, apksig): a mother with a v4
 * {@code .idsig} is written and every output line and the summary say the outputs carry no v4 and
 * how to sign v4; {@code --min-sdk} verifies as apksigner's {@code --min-sdk-version}. Outputs are
 * checked with apksig called directly.
 */
class ChannelWriteSignaturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int exit, List<JsonNode> lines, String err) {
    }

    @Test
    void aMotherWithAV4SignatureIsWrittenAndEveryOutputSaysItCarriesNoV4() throws Exception {
        Path mother = new SampleApkBuilder().sdk(24, 33).schemes(false, true, true).v4(true).build(dir.resolve("game.apk"));
        assertTrue(Files.isRegularFile(dir.resolve("game.apk.idsig")));

        Run run = write(mother, "--channel", "huawei", "--channel", "xiaomi");

        assertEquals(Console.OK, run.exit(), run.err());
        assertEquals(2, run.lines().size(), run.lines().toString());
        for (JsonNode line : run.lines()) {
            String note = line.path("v4Signature").asText();
            assertTrue(note.startsWith("no v4 signature: game.apk.idsig covers the mother's bytes only"), line.toString());
            assertTrue(note.contains("apksigner sign --ks KEYSTORE --v4-signing-enabled only"), note);
            Path output = Path.of(line.path("file").asText());
            assertFalse(Files.exists(output.resolveSibling(output.getFileName() + ".idsig")), "no stale .idsig beside " + output);
            assertTrue(new ApkVerifier.Builder(output.toFile()).build().verify().isVerified(), output + " verifies (v2/v3)");
            assertEquals(line.path("channel").asText(), ChannelReader.read(output).orElseThrow().name());
        }
        assertTrue(run.err().contains("2 channel APKs of game.apk written") && run.err().contains("no v4 signature"), run.err());
    }

    @Test
    void aMotherWithoutV4GetsNoV4Note() throws Exception {
        Path mother = new SampleApkBuilder().sdk(24, 33).schemes(false, true, true).build(dir.resolve("plain.apk"));
        Run run = write(mother, "--channel", "oppo");
        assertEquals(Console.OK, run.exit(), run.err());
        assertFalse(run.lines().get(0).has("v4Signature"), run.lines().toString());
        assertFalse(run.err().contains("v4"), run.err());
    }

    @Test
    void aV3OnlyMotherWhoseManifestSaysMinSdk21VerifiesWithMinSdk28() throws Exception {
        Path mother = new SampleApkBuilder().sdk(21, 33).schemes(false, false, true).build(dir.resolve("v3only.apk"));
        assertFalse(new ApkVerifier.Builder(mother.toFile()).build().verify().isVerified(),
                "apksig at the manifest's minSdk 21 wants a v1 signature");
        assertTrue(new ApkVerifier.Builder(mother.toFile()).setMinCheckedPlatformVersion(28).build().verify().isVerified(),
                "apksigner verify --min-sdk-version 28 accepts it");

        Run refused = write(mother, "--channel", "vivo");
        assertNotEquals(Console.OK, refused.exit(), "without --min-sdk the mother is checked for its manifest's minSdk 21");
        assertEquals(PackagingException.Problem.NOT_SIGNED.exitCode(), refused.exit(), refused.err());

        Run run = write(mother, "--channel", "vivo", "--min-sdk", "28");
        assertEquals(Console.OK, run.exit(), run.err());
        Path output = Path.of(run.lines().get(0).path("file").asText());
        assertTrue(new ApkVerifier.Builder(output.toFile()).setMinCheckedPlatformVersion(28).build().verify().isVerified());
        assertEquals("vivo", ChannelReader.read(output).orElseThrow().name());
        assertTrue(run.err().contains("verified for Android SDK 28 and up"), run.err());
    }

    @Test
    void aMinSdkThatIsNoApiLevelIsRefusedByName() throws Exception {
        Path mother = new SampleApkBuilder().sdk(24, 33).schemes(false, true, true).build(dir.resolve("m.apk"));
        for (String bad : List.of("abc", "0", "-3")) {
            Run run = write(mother, "--channel", "a", "--min-sdk", bad);
            assertEquals(PackagingException.Problem.INVALID_ARGUMENT.exitCode(), run.exit(), bad);
            assertTrue(run.err().contains("--min-sdk takes an Android API level"), run.err());
        }
    }

    private Run write(Path mother, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        List<String> command = new ArrayList<>(List.of("write", "--apk", mother.toString(), "--out", dir.resolve("out-" + out.hashCode()).toString()));
        command.addAll(List.of(args));
        int exit = new ChannelCommand(console).run(command);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return new Run(exit, lines, err.toString(StandardCharsets.UTF_8));
    }
}

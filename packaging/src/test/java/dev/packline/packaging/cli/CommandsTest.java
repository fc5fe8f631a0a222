package dev.packline.packaging.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.android.apksig.ApkVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.packaging.sample.SampleKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The channel and diff commands as a user runs them: arguments in, JSON lines and exit codes out. */
class CommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SampleKey KEY = SampleKey.generate("cli");

    @TempDir
    Path directory;
    private Path mother;

    record Run(int exitCode, List<JsonNode> lines, String stdout, String stderr) {
    }

    @BeforeEach
    void buildMother() throws Exception {
        mother = new SampleApkBuilder().key(KEY).payloadBytes(200_000).build(directory.resolve("mother.apk"));
    }

    @Test
    void inspectPrintsTheManifestSignaturesAndBlock() throws Exception {
        Run run = channel("inspect", mother.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        JsonNode json = run.lines().get(0);
        assertEquals("dev.packline.sample", json.get("package").asText());
        assertEquals("1.4.2", json.get("versionName").asText());
        assertEquals(42, json.get("versionCode").asInt());
        assertEquals(21, json.get("minSdk").asInt());
        assertEquals(33, json.get("targetSdk").asInt());
        assertEquals("包线渠道测试", json.get("label").asText());
        assertEquals("[\"v1\",\"v2\",\"v3\"]", json.get("schemes").toString());
        assertTrue(json.get("signatureVerified").asBoolean());
        assertEquals(64, json.get("signerCertificateSha256").get(0).asText().length());
        assertEquals(4096, json.get("signingBlockSize").asLong());
        assertTrue(json.get("signingBlockOffset").asLong() > 200_000);
        assertTrue(!json.get("zip64").asBoolean() && json.get("channel").isNull());
    }

    @Test
    void writeReadVerifyStripRoundTrip() throws Exception {
        Path list = Files.writeString(directory.resolve("channels.txt"), "# stores\nhuawei\n小米\tcity=北京\n", StandardCharsets.UTF_8);
        Path out = directory.resolve("out");
        Run run = channel("write", "--apk", mother.toString(), "--channels", list.toString(), "--out", out.toString(),
                "--format", "both", "--extra", "src=ci", "--name-template", "{label}-{versionCode}-{channel}.apk");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(2, run.lines().size());
        for (JsonNode line : run.lines()) {
            Path file = Path.of(line.get("file").asText());
            assertTrue(new ApkVerifier.Builder(file.toFile()).build().verify().isVerified());
            assertEquals(Files.size(file), line.get("bytes").asLong());
            assertEquals(64, line.get("sha256").asText().length());
        }
        Path xiaomi = out.resolve("包线渠道测试-42-小米.apk");
        assertEquals("小米", run.lines().get(1).get("channel").asText());
        assertEquals(xiaomi.toString(), run.lines().get(1).get("file").asText());

        Run read = channel("read", xiaomi.toString());
        assertEquals("{\"channel\":\"小米\",\"extra\":{\"src\":\"ci\",\"city\":\"北京\"},\"format\":\"both\"}", read.stdout().strip());

        Run verify = channel("verify", xiaomi.toString());
        assertEquals(0, verify.exitCode(), verify.stderr());
        assertTrue(verify.lines().get(0).get("verified").asBoolean());
        assertEquals("小米", verify.lines().get(0).get("channel").get("channel").asText());

        Path stripped = directory.resolve("stripped.apk");
        Run strip = channel("strip", xiaomi.toString(), "--out", stripped.toString());
        assertEquals(0, strip.exitCode(), strip.stderr());
        assertEquals(sha256(mother), strip.lines().get(0).get("sha256").asText());
        assertEquals(10, channel("read", stripped.toString()).exitCode(), "no channel left");
    }

    @Test
    void aFailedChannelPrintsItsErrorTheOthersAreWrittenAndTheExitIsNonZero() throws Exception {
        Path list = Files.writeString(directory.resolve("channels.txt"), "plain\nwith-extras\tk=v\nother\n");
        Run run = channel("write", "--apk", mother.toString(), "--channels", list.toString(), "--out",
                directory.resolve("out").toString(), "--format", "vasdolly");
        assertEquals(2, run.exitCode());
        assertEquals(3, run.lines().size());
        assertTrue(run.lines().get(1).get("error").asText().contains("vasdolly format cannot carry"));
        assertTrue(run.lines().get(2).has("sha256"), "channels after a failure are still written");
        assertTrue(run.stderr().contains("with-extras"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @CsvSource(delimiter = '|', value = {
        "write --apk MOTHER --out OUT|2|give the channels either with --channels FILE or with --channel NAME",
        "write --apk MOTHER --channel a --channels LIST --out OUT|2|not both",
        "write --channel a --out OUT|2|missing --apk",
        "write --apk MOTHER --channel a|2|missing --out",
        "write --apk MOTHER --channel a --out OUT --format zip|2|unknown channel format 'zip'",
        "write --apk MOTHER --channel a --out OUT --colour red|2|unknown option --colour",
        "write --apk MOTHER --channel ../up --out OUT|2|contains a path separator",
        "write --apk MOTHER --channel A --channel a --out OUT --name-template {channel}.apk|2|collide",
        "write --apk OUT/none.apk --channel a --out OUT|3|file not found",
        "write --apk LIST --channel a --out OUT|4|not a ZIP archive",
        "read|2|missing APK",
        "verify LIST|4|not a ZIP archive",
        "strip MOTHER|2|missing --out",
        "unzip MOTHER|2|unknown channel command 'unzip'",
    })
    void badInputGetsAClearErrorAndItsExitCode(String arguments, int exitCode, String message) throws Exception {
        Path list = Files.writeString(directory.resolve("list.txt"), "a\n");
        Function<String, String> fill = argument -> argument.replace("MOTHER", mother.toString())
                .replace("LIST", list.toString()).replace("OUT", directory.resolve("out").toString());
        Run run = channel(List.of(arguments.split(" ")).stream().map(fill).toArray(String[]::new));
        assertEquals(exitCode, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains(message), run.stderr());
    }

    @Test
    void everyCommandHasHelp() throws Exception {
        for (String command : List.of("inspect", "write", "read", "verify", "strip")) {
            Run run = channel(command, "--help");
            assertEquals(0, run.exitCode());
            assertTrue(run.stdout().contains("Usage: bin/packline channel"), run.stdout());
        }
        for (String command : List.of("make", "apply")) {
            Run run = diff(command, "--help");
            assertEquals(0, run.exitCode());
            assertTrue(run.stdout().contains("Usage: bin/packline diff"), run.stdout());
        }
        assertEquals(0, channel("--help").exitCode());
        assertEquals(2, channel().exitCode(), "no command at all is a usage error");
    }

    @Test
    void diffMakeAndApply() throws Exception {
        Path newer = new SampleApkBuilder().key(KEY).payloadBytes(250_000).seed(9).build(directory.resolve("newer.apk"));
        Path patch = directory.resolve("p.bsdiff");
        Run make = diff("make", "--old", mother.toString(), "--new", newer.toString(), "--out", patch.toString());
        assertEquals(0, make.exitCode(), make.stderr());
        JsonNode report = make.lines().get(0);
        assertEquals(Files.size(patch), report.get("patchBytes").asLong());
        assertEquals(sha256(newer), report.get("newSha256").asText());
        assertTrue(report.has("diffMillis") && report.has("applyMillis"));

        Path rebuilt = directory.resolve("rebuilt.apk");
        Run apply = diff("apply", "--old", mother.toString(), "--patch", patch.toString(), "--out", rebuilt.toString());
        assertEquals(0, apply.exitCode(), apply.stderr());
        assertEquals(sha256(newer), sha256(rebuilt));

        Run refused = diff("make", "--old", mother.toString(), "--new", newer.toString(), "--out", patch.toString(),
                "--heap-budget-mb", "2");
        assertEquals(8, refused.exitCode());
        assertTrue(refused.stderr().contains("over the 2 MiB budget"), refused.stderr());
        assertEquals(2, diff("make", "--old", mother.toString()).exitCode());
    }

    private Run channel(String... args) {
        return run(console -> new ChannelCommand(console).run(List.of(args)));
    }

    private Run diff(String... args) {
        return run(console -> new DiffCommand(console).run(List.of(args)));
    }

    private static Run run(Function<Console, Integer> command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = command.apply(new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        String stdout = out.toString(StandardCharsets.UTF_8);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("{")) {
                try {
                    lines.add(JSON.readTree(line));
                } catch (Exception e) {
                    throw new AssertionError("not JSON: " + line, e);
                }
            }
        }
        return new Run(code, lines, stdout, err.toString(StandardCharsets.UTF_8));
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}

package dev.packline.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.packaging.increment.JsTestRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JavaScript reference applier (clients/js) on increments the pipeline made: each case (the
 * client's old file, the increment it downloaded, the file the release offers) is written to a
 * directory that clients/js/test reads through {@code PACKLINE_JS_CASES}, and node's test runner
 * applies every one ({@link JsTestRunner}: node comes from Debian's {@code nodejs}, installed by
 * bin/install-debian-package.sh when missing; if it cannot be, the test fails rather than skipping).
 */
final class JsReferenceApplier {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private final Path dir;
    private final List<Map<String, String>> cases = new ArrayList<>();

    JsReferenceApplier(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** @param kind the case kind clients/js/test knows: {@code chunk}, {@code bsdiff-gz} or {@code offline} */
    void add(String kind, byte[] old, byte[] increment, byte[] expected) throws IOException {
        String name = kind + "-" + cases.size();
        Files.write(dir.resolve(name + ".old"), old);
        Files.write(dir.resolve(name + ".patch"), increment);
        Files.write(dir.resolve(name + ".expected"), expected);
        cases.add(Map.of("kind", kind, "old", name + ".old", "patch", name + ".patch", "expected", name + ".expected"));
    }

    /** Runs node on every case added; each must rebuild its expected file exactly (the applier also checks the result's SHA-256). */
    void assertEveryCaseApplies() throws IOException, InterruptedException {
        assertTrue(!cases.isEmpty(), "no case to apply");
        Files.write(dir.resolve("cases.json"), new ObjectMapper().writeValueAsBytes(Map.of("cases", cases)));
        String output = JsTestRunner.run(REPO, dir);
        for (Map<String, String> c : cases) {
            assertTrue(output.matches("(?s).*\\nok \\d+ - Java-made " + c.get("kind") + " case " + c.get("patch").replace(".", "\\.") + "\\n.*"),
                    "node applied " + c + ": " + output);
        }
    }
}

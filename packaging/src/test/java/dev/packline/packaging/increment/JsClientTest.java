package dev.packline.packaging.increment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JavaScript reference applier (clients/js) against this module's makers: increments of every
 * format are made here and node applies them (clients/js/test, with PACKLINE_JS_CASES naming the
 * cases, through {@link JsTestRunner}). node is installed from Debian by bin/install-debian-package.sh
 * when it is missing; if that fails, this test fails rather than skipping.
 */
class JsClientTest {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    @Test
    void nodeAppliesEveryFormatTheJavaMakersWrite() throws Exception {
        List<Map<String, String>> cases = new ClientCases(dir).write();
        Files.write(dir.resolve("cases.json"), new ObjectMapper().writeValueAsBytes(Map.of("cases", cases)));
        String output = JsTestRunner.run(REPO, dir);
        assertTrue(output.contains("# fail 0"), output);
        int passed = Integer.parseInt(output.replaceAll("(?s).*# pass (\\d+).*", "$1"));
        assertTrue(passed >= cases.size() + 6, "every Java-made case and the golden ones ran: " + output);
    }
}

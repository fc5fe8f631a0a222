package dev.packline.packaging.increment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JavaScript reference applier (clients/js) against this module's makers: increments of every
 * format are made here and node applies them (clients/js/test, with PACKLINE_JS_CASES naming the
 * cases). node is installed from Debian by bin/install-debian-package.sh when it is missing; if
 * that fails, this test fails rather than skipping.
 */
class JsClientTest {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    @Test
    void nodeAppliesEveryFormatTheJavaMakersWrite() throws Exception {
        List<Map<String, String>> cases = new ClientCases(dir).write();
        Files.write(dir.resolve("cases.json"), new ObjectMapper().writeValueAsBytes(Map.of("cases", cases)));
        String output = runNode();
        assertTrue(output.contains("# fail 0"), output);
        int passed = Integer.parseInt(output.replaceAll("(?s).*# pass (\\d+).*", "$1"));
        assertTrue(passed >= cases.size() + 6, "every Java-made case and the golden ones ran: " + output);
    }

    private String runNode() throws IOException, InterruptedException {
        Process install = new ProcessBuilder(REPO.resolve("bin/install-debian-package.sh").toString(), "node", "nodejs")
                .redirectErrorStream(true).start();
        String installOutput = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, install.waitFor(), "node is needed for the JS client's tests and could not be installed: " + installOutput);
        ProcessBuilder node = new ProcessBuilder("node", "--test", REPO.resolve("clients/js/test").toString()).redirectErrorStream(true);
        node.environment().put("PACKLINE_JS_CASES", dir.toString());
        Process process = node.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "node did not finish: " + output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}

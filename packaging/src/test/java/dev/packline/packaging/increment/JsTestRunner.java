package dev.packline.packaging.increment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the JavaScript applier's tests (clients/js/test, node's test runner) with
 * {@code PACKLINE_JS_CASES} naming a directory of cases ({@code cases.json}: kind, old, patch,
 * expected). node comes from Debian's {@code nodejs}, installed by bin/install-debian-package.sh
 * when missing; if it cannot be, the calling test fails rather than skipping. Used here by
 * {@link JsClientTest} and by the e2e module on increments the pipeline made.
 */
public final class JsTestRunner {
    private JsTestRunner() {
    }

    /** node's TAP output, once node exited 0 within two minutes; {@code repo} is the checkout's root. */
    public static String run(Path repo, Path casesDir) throws IOException, InterruptedException {
        Process install = new ProcessBuilder(repo.resolve("bin/install-debian-package.sh").toString(), "node", "nodejs")
                .redirectErrorStream(true).start();
        String installOutput = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, install.waitFor(), "node is needed for the JS client's tests and could not be installed: " + installOutput);
        ProcessBuilder node = new ProcessBuilder("node", "--test", repo.resolve("clients/js/test").toString()).redirectErrorStream(true);
        node.environment().put("PACKLINE_JS_CASES", casesDir.toString());
        Process process = node.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "node did not finish: " + output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}

package dev.packline.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo for real: an embedded Redis, the API, a supervised pair of workers and the update API as
 * their own processes (from the jars the reactor built before this module), a request of channels
 * and a patch, every output checked, the request released gray then full and checked by simulated
 * clients over the update API; then nothing left running.
 */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void runsTheWholePlatformAndChecksEveryOutputThenStopsEverything() throws Exception {
        Path home = Path.of("").toAbsolutePath().getParent();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<ProcessHandle> children;
        boolean ok;
        try (Demo demo = new Demo(home, dir, 12, out)) {
            ok = demo.run();
            children = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(ok, text + "\n" + logs());
        assertTrue(text.contains("channel APKs: 12 of 12 verified by apksig"), text);
        assertTrue(text.contains("patch: 1 of 1 rebuilds release 2 from release 1 exactly"), text);
        assertTrue(text.contains("signature valid"), text);
        assertTrue(text.matches("(?s).*gray at 30%: [0-9]+ of 40 simulated clients offered it.*"), text);
        assertTrue(text.contains("full: 40 of 40 offered it"), text);
        assertTrue(text.contains("\"outcome\":\"full\""), "the printed check answer: " + text);
        assertTrue(text.contains("SHA-256 matches the answer"), text);
        assertTrue(children.size() >= 5, "the API, the supervisor and its two workers, the update API ran: " + children);
        for (ProcessHandle child : children) {
            assertFalse(child.isAlive(), "still running after close: " + child.info());
        }
        try (var store = Files.walk(dir.resolve("store"))) {
            assertEquals(12, store.filter(f -> f.toString().endsWith(".apk")).count());
        }
        assertEveryLogLineIsJson();
    }

    /**
     * The API, the supervisor and its workers (whose output is the supervisor's) and the update API
     * write JSON lines only, from start to SIGTERM, with the MDC of a call and of a job, and no client
     * id; nothing on stderr.
     */
    private void assertEveryLogLineIsJson() throws Exception {
        Path logs = dir.resolve("logs");
        JsonLogLines api = JsonLogLines.read(logs.resolve("api.log"), "packline-api");
        api.assertSomeLineHas("publisher", "requestId");
        api.assertSomeMessageContains("stopping the API");
        JsonLogLines workers = JsonLogLines.read(logs.resolve("workers.log"), "packline-worker");
        workers.assertSomeMessageContains("supervising 2 worker processes");
        workers.assertSomeLineHas("requestId", "jobId", "queue", "version", "stage", "attempt", "workerId");
        workers.assertSomeMessageContains("stopped");
        JsonLogLines updates = JsonLogLines.read(logs.resolve("update-api.log"), "packline-update-api");
        updates.assertSomeMessageContains("update API listening on");
        updates.assertSomeMessageContains("stopping the update API");
        updates.assertNoLineContains("demo-client-"); // client ids are never logged (update-api's logback.xml)
        JsonLogLines.assertEmpty(logs.resolve("update-api.err"));
        JsonLogLines.assertEmpty(logs.resolve("api.err"));
        JsonLogLines.assertEmpty(logs.resolve("workers.err"));
    }

    @Test
    void badArgumentsExitWithStatusTwoAndSayWhy() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, DemoMain.run(new String[] {"--channels", "0"}, System.out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--channels must be between 1 and 500"));
        assertEquals(2, DemoMain.run(new String[] {"--frobnicate"}, System.out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown argument '--frobnicate'"));
    }

    private String logs() throws Exception {
        StringBuilder all = new StringBuilder();
        Path logs = dir.resolve("logs");
        if (Files.isDirectory(logs)) {
            try (var files = Files.list(logs)) {
                for (Path f : files.toList()) {
                    List<String> lines = Files.readAllLines(f);
                    all.append("== ").append(f.getFileName()).append('\n')
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))).append('\n');
                }
            }
        }
        return all.toString();
    }
}

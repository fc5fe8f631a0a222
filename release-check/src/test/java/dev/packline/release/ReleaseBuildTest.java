package dev.packline.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.redis.EmbeddedRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release build as an operator gets it: {@code deploy/release/make-dist.sh} makes the tarball
 * from the modules' jars (once), it is unpacked into an empty directory, and its {@code bin/packline}
 * runs with a {@code PATH} holding only bash and the few tools the launcher uses (no java, javac or
 * mvn; no locale either, as under systemd). The demo runs in full beside the rest; the worker and the
 * API start as processes on a real, empty redis-server (worker, API and admin on the AOT caches the
 * release ships, which must load though the tree moved since they were trained), come up (their probes answer 200, first start
 * creates the queues), log nothing but JSON lines, and exit 0 on SIGTERM; admin answers on the same
 * Redis. What runs independently runs in parallel: the demo is the long pole.
 */
class ReleaseBuildTest {
    /** What the launcher and the demo need from the host; everything else comes from the tarball. */
    private static final List<String> HOST_TOOLS = List.of("bash", "dirname", "sed", "head", "ls", "grep", "cat");
    private static final Duration START = Duration.ofSeconds(150);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The release's AOT caches; with -XX:AOTMode=on a JVM that cannot use its cache (moved, stale) fails to start. */
    private static final List<String> CACHES = List.of("ApiMain", "WorkerMain", "AdminMain", "ChannelCommand", "DiffCommand");
    private static final boolean AOT = Runtime.version().feature() >= 25; // make-dist trains caches on a JDK 25+ only
    private static final Map<String, String> CACHE_REQUIRED = AOT ? Map.of("PACKLINE_JAVA_OPTS", "-XX:AOTMode=on") : Map.of();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theUnpackedTarballRunsEveryCommandWithoutAJdkOrMaven(@TempDir Path temp) throws Exception {
        long began = System.nanoTime();
        Path checkout = checkout();
        Path tarball = makeDist(checkout, temp.resolve("out"));
        Path home = unpack(tarball, Files.createDirectories(temp.resolve("unpacked")));
        Path tools = hostTools(Files.createDirectories(temp.resolve("tools")));
        Path logs = Files.createDirectories(temp.resolve("logs"));
        Path workDir = Files.createDirectories(temp.resolve("work"));
        Release release = new Release(home, tools, workDir, logs);

        for (String absent : List.of("java", "javac", "mvn")) {
            assertNotEquals(0, release.run("lookup-" + absent, List.of("bash", "-c", "command -v " + absent)),
                    absent + " must not be on the test's PATH");
        }

        for (String cache : AOT ? CACHES : List.<String>of()) {
            assertTrue(Files.isRegularFile(home.resolve("aot/" + cache + ".aot")), "the release ships aot/" + cache + ".aot");
        }

        Process demo = release.start("demo", List.of(home + "/bin/packline", "demo", "--channels", "6"));
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            int metricsPort = EmbeddedRedis.freePort();
            int apiPort = EmbeddedRedis.freePort();
            Process worker = release.start("worker", List.of(home + "/bin/packline", "worker", "--config", home + "/config/worker.yml",
                    "--redis", redis.url(), "--metrics-port", Integer.toString(metricsPort)), CACHE_REQUIRED);
            Process api = release.start("api", List.of(home + "/bin/packline", "api", "--config", home + "/config/api.yml",
                    "--redis", redis.url(), "--port", Integer.toString(apiPort)), CACHE_REQUIRED);
            try {
                assertEquals(0, release.run("admin-help", List.of(home + "/bin/packline", "admin", "--help"), CACHE_REQUIRED),
                        "admin --help on its AOT cache, moved with the tree to another directory than it was trained in");
                assertTrue(Files.readString(logs.resolve("admin-help.log")).contains("Usage"), "admin --help prints its usage");

                awaitOk(URI.create("http://127.0.0.1:" + metricsPort + "/healthz"), worker, logs);
                awaitOk(URI.create("http://127.0.0.1:" + apiPort + "/healthz"), api, logs);

                assertEquals(0, release.run("admin-queues", List.of(home + "/bin/packline", "admin", "--redis", redis.url(), "queues")));
                String queues = Files.readString(logs.resolve("admin-queues.log"));
                for (String queue : List.of("package", "upload", "diff", "notify")) {
                    assertTrue(queues.contains(queue), "admin queues lists " + queue + " after first start:\n" + queues);
                }

                worker.destroy(); // SIGTERM
                api.destroy();
                assertExit(0, worker, "worker", logs);
                assertExit(0, api, "api", logs);
            } finally {
                worker.destroyForcibly();
                api.destroyForcibly();
            }
            List<JsonNode> workerLines = jsonLines(logs.resolve("worker.log"), "packline-worker");
            List<JsonNode> apiLines = jsonLines(logs.resolve("api.log"), "packline-api");
            assertEquals("", Files.readString(logs.resolve("worker.err")), "the worker's stderr");
            assertEquals("", Files.readString(logs.resolve("api.err")), "the API's stderr");
            // either may create the queues on an empty Redis: whichever started first did
            assertTrue(Stream.concat(workerLines.stream(), apiLines.stream())
                            .anyMatch(line -> line.get("message").asText().startsWith("first start: created package:1")),
                    "the worker or the API logs creating package:1 on the empty Redis");
        } finally {
            if (!demo.waitFor(6, TimeUnit.MINUTES)) {
                demo.descendants().forEach(ProcessHandle::destroyForcibly);
                demo.destroyForcibly();
            }
        }
        assertEquals(0, demo.exitValue(), "bin/packline demo on the release build; its output:\n"
                + Files.readString(logs.resolve("demo.log")) + Files.readString(logs.resolve("demo.err")));
        assertTrue(Files.readString(logs.resolve("demo.log")).contains("verified by apksig"), "the demo checked its channel APKs");
        System.out.printf("release build check: %d s in all (make-dist, unpack, demo beside worker, API and admin)%n",
                Duration.ofNanos(System.nanoTime() - began).toSeconds());
    }

    /** The unpacked release, run with nothing of the host's environment but {@code PATH=tools} and a home. */
    private record Release(Path home, Path tools, Path workDir, Path logs) {
        Process start(String name, List<String> command) throws IOException {
            return start(name, command, Map.of());
        }

        Process start(String name, List<String> command, Map<String, String> extraEnv) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(logs.resolve(name + ".log").toFile())
                    .redirectError(logs.resolve(name + ".err").toFile());
            Map<String, String> env = builder.environment();
            env.clear(); // no JAVA_HOME, no LANG, no PACKLINE_*: only what the release brings
            env.put("PATH", tools.toString());
            env.put("HOME", workDir.toString());
            env.putAll(extraEnv);
            return builder.start();
        }

        int run(String name, List<String> command) throws IOException, InterruptedException {
            return run(name, command, Map.of());
        }

        int run(String name, List<String> command, Map<String, String> extraEnv) throws IOException, InterruptedException {
            Process process = start(name, command, extraEnv);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not end within 2 minutes");
            }
            return process.exitValue();
        }
    }

    private static Path checkout() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("deploy/release/make-dist.sh"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "no checkout above " + Path.of("").toAbsolutePath());
        return dir;
    }

    /** make-dist on the JDK running this test (it has jlink); the modules' jars come from the reactor's package phase. */
    private static Path makeDist(Path checkout, Path out) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", checkout.resolve("deploy/release/make-dist.sh").toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(Files.createDirectories(out).resolve("make-dist.log").toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "make-dist ended");
        assertEquals(0, process.exitValue(), "make-dist: " + Files.readString(out.resolve("make-dist.log")));
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-linux-x64.tar.gz")).findFirst().orElseThrow();
        }
    }

    private static Path unpack(Path tarball, Path into) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("tar", "-C", into.toString(), "-xzf", tarball.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor(), "tar -xzf " + tarball);
        try (Stream<Path> dirs = Files.list(into)) {
            List<Path> top = dirs.toList();
            assertEquals(1, top.size(), "the tarball holds one directory: " + top);
            assertTrue(Files.isRegularFile(top.get(0).resolve("RELEASE")), "with a RELEASE file");
            return top.get(0);
        }
    }

    /** A directory of links to the host tools the launcher needs, and nothing else. */
    private static Path hostTools(Path dir) throws IOException {
        for (String tool : HOST_TOOLS) {
            Path found = Stream.of(System.getenv("PATH").split(":")).map(p -> Path.of(p, tool)).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new AssertionError(tool + " is not on this host's PATH"));
            Files.createSymbolicLink(dir.resolve(tool), found.toRealPath());
        }
        return dir;
    }

    private void awaitOk(URI url, Process process, Path logs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), url + ": its process exited with " + (process.isAlive() ? "" : process.exitValue()) + "; see " + logs);
            try {
                if (http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(url + " did not answer 200 within " + START.toSeconds() + " s; see " + logs);
    }

    private static void assertExit(int expected, Process process, String name, Path logs) throws InterruptedException, IOException {
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), name + " stopped within 60 s of SIGTERM");
        assertEquals(expected, process.exitValue(), name + "'s exit status after SIGTERM; stderr: " + Files.readString(logs.resolve(name + ".err")));
    }

    /** Every line of a process's stdout: one JSON object with the fields every Packline app writes. */
    private static List<JsonNode> jsonLines(Path file, String app) throws IOException {
        List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertFalse(text.isEmpty(), file + " is empty");
        List<JsonNode> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String where = file + " line " + (i + 1) + ": " + text.get(i);
            JsonNode node;
            try {
                node = JSON.readTree(text.get(i));
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON: " + where, e);
            }
            assertTrue(node != null && node.isObject(), "not a JSON object: " + where);
            for (String field : List.of("@timestamp", "level", "logger_name", "message", "app")) {
                assertTrue(node.hasNonNull(field), "no '" + field + "': " + where);
            }
            assertEquals(app, node.get("app").asText(), where);
            lines.add(node);
        }
        return lines;
    }
}

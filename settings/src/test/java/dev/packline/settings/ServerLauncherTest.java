package dev.packline.settings;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up the servers share, up to the server's start (what follows waits for the JVM's
 * shutdown; the apps' process tests cover it): exit statuses, messages, overrides, and the embedded
 * Redis started for a configuration without one and closed again when the server cannot start.
 */
class ServerLauncherTest {

    record TestConfig(String redisUrl, int port, LogFormat logFormat) implements ServerSettings<TestConfig> {
        @Override
        public TestConfig withRedisUrl(String url) {
            return new TestConfig(url, port, logFormat);
        }

        @Override
        public TestConfig withPort(int newPort) {
            return new TestConfig(redisUrl, newPort, logFormat);
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<TestConfig> started = new ArrayList<>();
    private final List<String> prepared = new ArrayList<>();

    private int run(String configuredRedis, String... args) {
        ServerLauncher.Params<TestConfig> params = new ServerLauncher.Params<>(ServerLauncherTest.class, "demo-server", "the demo server",
                "Usage: demo-server [--config FILE]", "demo.yml", (file, env) -> {
                    if (file.toString().equals("bad.yml")) {
                        throw new SettingsException("bad.yml", List.of("server.port: must be between 0 and 65535"));
                    }
                    return new TestConfig(configuredRedis, 8080, LogFormat.CONSOLE);
                }, config -> {
                    started.add(config);
                    throw new IllegalStateException("port taken");
                });
        return new ServerLauncher<>(params, prepared::add, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    @Test
    void helpPrintsTheUsageAndBadArgumentsOrConfigurationExitTwoNamingTheProblem() {
        assertEquals(0, run("redis://127.0.0.1:1", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Usage: demo-server"));

        assertEquals(2, run("redis://127.0.0.1:1", "--port", "eighty"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("demo-server: --port takes a number, got 'eighty'"), err.toString());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: demo-server"));

        assertEquals(2, run("redis://127.0.0.1:1", "--config", "bad.yml"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("server.port: must be between 0 and 65535"), err.toString());
        assertEquals(List.of(), started, "nothing starts on a bad command line or configuration");
    }

    @Test
    void theCommandLineOverridesTheConfigurationAndAServerThatCannotStartExitsOne() {
        assertEquals(1, run("redis://127.0.0.1:1", "--redis", "redis://127.0.0.1:6390", "--port", "0"));
        assertEquals(List.of(new TestConfig("redis://127.0.0.1:6390", 0, LogFormat.CONSOLE)), started);
        assertEquals(List.of(), prepared, "a configured Redis is used as it is");
    }

    @Test
    void withoutARedisUrlAnEmbeddedOneServesTheStartAndIsClosedWhenTheServerCannotStart() {
        assertEquals(1, run(" "));
        String url = started.get(0).redisUrl();
        assertEquals(List.of(url), prepared, "the app prepared the embedded Redis before its server started on it");
        URI redis = URI.create(url);
        assertThrows(IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(redis.getHost(), redis.getPort()), 1000);
            }
        }, "the embedded Redis at " + url + " was closed");
    }
}

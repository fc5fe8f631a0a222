package dev.packline.demo;

import dev.packline.queue.QueueInspector;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console a demo left running starts: its own process from the console module's jar (built by
 * the reactor before this module), on the demo's Redis; the sign-in the demo prints works and shows
 * the demo's queues; it stops with the other services.
 */
class DemoConsoleTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient(); // no redirects followed: the test reads each answer

    @Test
    void theConsoleRunsOnTheDemosRedisAndTakesThePrintedSignIn() throws Exception {
        Path home = Path.of("").toAbsolutePath().getParent();
        try (EmbeddedRedis redis = EmbeddedRedis.start(); ServiceProcesses services = new ServiceProcesses(home, dir, dir.resolve("logs"))) {
            try (RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redis.url(), 2), redis.url(), Clock.systemUTC(),
                    Retention.DEFAULT, true)) {
                new QueueInspector(broker, Clock.systemUTC()).ensureQueue("package");
            }
            DemoConsole started = DemoConsole.start(services, home, redis.url());
            assertEquals(1, consoles().size(), "one console process runs");
            URI url = started.url();
            assertEquals("  console: " + url + " (sign in as demo / demo-admin, the demo account of config/console.yml)", started.describe());

            HttpResponse<String> form = http.send(HttpRequest.newBuilder(url.resolve("/sign-in")).build(), HttpResponse.BodyHandlers.ofString());
            String formCookie = cookie(form);
            Matcher token = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
            assertTrue(token.find(), form.body());
            String body = "csrf=" + token.group(1) + "&account=" + DemoConsole.ACCOUNT + "&password="
                    + URLEncoder.encode(DemoConsole.PASSWORD, StandardCharsets.UTF_8);
            HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(url.resolve("/sign-in")).header("Cookie", formCookie)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(303, signedIn.statusCode(), signedIn.body());
            String session = cookie(signedIn);
            assertTrue(session.startsWith("packline_console="), session);

            HttpResponse<String> overview = http.send(HttpRequest.newBuilder(url.resolve("/overview")).header("Cookie", session).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, overview.statusCode());
            assertTrue(overview.body().contains("demo (admin)"), overview.body());
            assertTrue(overview.body().contains("data-queue=\"package:1\""), "the demo's queue is shown: " + overview.body());
        }
        assertTrue(consoles().isEmpty(), "the console stops with the demo's services: " + consoles());
        JsonLogLines.assertEmpty(dir.resolve("logs/console.err"));
    }

    private static List<ProcessHandle> consoles() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("dev.packline.console.ConsoleMain")).toList();
    }

    private static String cookie(HttpResponse<?> response) {
        String header = response.headers().firstValue("set-cookie").orElseThrow(() -> new AssertionError("no cookie in " + response.headers()));
        return header.substring(0, header.indexOf(';'));
    }
}

package dev.packline.console.live;

import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live part's stream over a real Helidon server and HTTP client: a fragment is sent once per
 * change, as one line; a quiet stream sends comments and keeps going until its maximum duration
 * (a heartbeat once ended the stream: Helidon writes a data line for every event).
 */
class LiveStreamTest {
    @Test
    void sendsChangesOnceAndQuietCommentsUntilItsEnd() throws Exception {
        AtomicReference<String> fragment = new AtomicReference<>("<p>a</p>");
        LiveStream live = new LiveStream(Duration.ofMillis(20), Duration.ofMillis(150), Duration.ofMillis(1500));
        WebServer server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/live", (req, res) -> live.stream(res, "counts", fragment::get))).build().start();
        try {
            HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/live")).build(), HttpResponse.BodyHandlers.ofLines());
            assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse("").split(";")[0]);
            long started = System.nanoTime();
            List<String> lines;
            try (Stream<String> body = response.body()) {
                lines = body.peek(line -> {
                    if (line.startsWith(":") && fragment.get().equals("<p>a</p>")) {
                        fragment.set("<p>b\nc</p>"); // changes after the first quiet comment
                    }
                }).toList();
            }
            Duration lasted = Duration.ofNanos(System.nanoTime() - started);
            List<String> data = lines.stream().filter(l -> l.startsWith("data:") && l.length() > "data:".length()).map(l -> l.substring(5).strip()).toList();
            assertEquals(List.of("<p>a</p>", "<p>b c</p>"), data, "each change once, one line each: " + lines);
            assertTrue(lines.stream().filter(l -> l.startsWith(":")).count() >= 3, "quiet comments: " + lines);
            assertTrue(lasted.toMillis() >= 1000, "the stream ran to its end, not its first comment: " + lasted.toMillis() + " ms, " + lines);
        } finally {
            server.stop();
        }
    }
}

package dev.packline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.queue.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server-sent progress events as a CI job would consume them, and the metrics the dashboards read. */
class EventsAndMetricsTest {
    @TempDir
    Path temp;
    ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture(temp);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    record Event(String name, String id, JsonNode data) {
    }

    @Test
    void aClientWaitsForTheEndThroughServerSentEvents() throws Exception {
        String id = api.post(api.acmeToken, api.body(3)).json().get("id").asText();
        HttpRequest request = HttpRequest.newBuilder(api.uri("/v1/jobs/" + id + "/events")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + api.acmeToken).header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> response = api.http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
        Iterator<String> lines = response.body().iterator();

        Event first = next(lines);
        assertEquals("progress", first.name());
        assertEquals("queued", first.data().get("state").asText());
        assertEquals(1, api.api.metrics().sseConnections().get(), "the stream is counted while open");

        // workers report: channel 0 packaged and uploaded, channel 1 dead, channel 2 uploaded
        RequestStore store = new RequestStore(TestRedis.client(), Clock.systemUTC(), Duration.ofDays(1));
        CompletableFuture<Void> workers = CompletableFuture.runAsync(() -> {
            try {
                store.progress(id, 0, Stage.PACKAGE, RequestStore.Outcome.DONE, Map.of("sha256", "aa", "bytes", 10), false);
                Thread.sleep(300);
                store.progress(id, 0, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of("objectKey", "game/1.0/a.apk"), true);
                Thread.sleep(300);
                store.progress(id, 1, Stage.PACKAGE, RequestStore.Outcome.DEAD, Map.of("error", "disk full"), true);
                Thread.sleep(300);
                store.progress(id, 2, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of("objectKey", "game/1.0/c.apk"), true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<Event> events = new ArrayList<>(List.of(first));
        Event e;
        do {
            e = next(lines);
            events.add(e);
        } while (!e.name().equals("done"));
        workers.get(30, TimeUnit.SECONDS);

        assertTrue(events.stream().anyMatch(ev -> ev.name().equals("progress") && ev.data().get("state").asText().equals("running")),
                "progress was seen while running: " + events);
        int lastProgress = -1;
        for (Event ev : events) {
            if (ev.name().equals("progress")) {
                assertTrue(ev.data().get("progress").asInt() >= lastProgress, "progress never goes back");
                lastProgress = ev.data().get("progress").asInt();
            }
        }
        JsonNode done = e.data();
        assertEquals("partly_failed", done.get("state").asText());
        assertEquals(100, done.get("progress").asInt());
        assertEquals(1, done.get("channels").get("failed").asInt());
        assertEquals("disk full", done.get("results").get(1).get("error").asText());
        assertEquals("game/1.0/a.apk", done.get("results").get(0).get("objectKey").asText());
        assertEquals(1, done.get("stages").get("package").get("dead").asInt());
        assertTrue(!lines.hasNext(), "the stream ends after done");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (api.api.metrics().sseConnections().get() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, api.api.metrics().sseConnections().get());
    }

    @Test
    void aStreamOfAFinishedRequestSendsDoneAtOnce() throws Exception {
        String id = api.post(api.acmeToken, api.body(1)).json().get("id").asText();
        new RequestStore(TestRedis.client(), Clock.systemUTC(), Duration.ofDays(1))
                .progress(id, 0, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of(), true);
        HttpResponse<Stream<String>> response = api.http.send(HttpRequest.newBuilder(api.uri("/v1/jobs/" + id + "/events"))
                .header("Authorization", "Bearer " + api.acmeToken).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofLines());
        Event only = next(response.body().iterator());
        assertEquals("done", only.name());
        assertEquals("done", only.data().get("state").asText());
    }

    @Test
    void aClientThatLeavesIsNoticedAtTheNextHeartbeat() throws Exception {
        String id = api.post(api.acmeToken, api.body(2)).json().get("id").asText();
        HttpResponse<java.io.InputStream> response = api.http.send(HttpRequest.newBuilder(api.uri("/v1/jobs/" + id + "/events"))
                .header("Authorization", "Bearer " + api.acmeToken).build(), HttpResponse.BodyHandlers.ofInputStream());
        java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("retry: 2000", reader.readLine(), "the stream opens with the reconnection delay");
        assertEquals("", reader.readLine());
        assertTrue(reader.readLine().startsWith("id: p"), "the first event arrived");
        assertEquals(1, api.api.metrics().sseConnections().get());
        reader.close(); // the client goes away while the request is still queued
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // the fixture's heartbeat is 2 s
        while (api.api.metrics().sseConnections().get() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(0, api.api.metrics().sseConnections().get(), "the stream ended when a heartbeat could not be written");
    }

    /** Reads one event (lines up to a blank line), skipping comment lines. */
    static Event next(Iterator<String> lines) throws Exception {
        String name = "message";
        String id = null;
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    return new Event(name, id, ApiFixture.JSON.readTree(data.toString()));
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).stripLeading();
            switch (field) {
                case "event" -> name = value;
                case "id" -> id = value;
                case "data" -> data.append(data.length() > 0 ? "\n" : "").append(value);
                default -> { }
            }
        }
        throw new AssertionError("the stream ended before an event");
    }

    @Test
    void metricsCarryTheDocumentedNamesWithRouteTemplatesAndBoundedTags() throws Exception {
        String id = api.post(api.acmeToken, api.body(10)).json().get("id").asText();
        api.get(api.acmeToken, "/v1/jobs/" + id);
        api.get(api.rivalToken, "/v1/jobs/" + id);
        api.post(api.acmeToken, "{\"appId\": 1}");
        api.post(api.acmeToken, api.body(2), "dup-" + id);
        api.post(api.acmeToken, api.body(2), "dup-" + id);
        api.get("nope", "/v1/jobs");
        api.get(null, "/healthz");

        String metrics = api.get(null, "/metrics").text();
        String acme = api.acme;
        List<String> expected = List.of(
                "packline_api_requests_seconds_bucket{method=\"GET\",route=\"/v1/jobs/{id}\",status=\"200\",le=",
                "packline_api_requests_seconds_count{method=\"POST\",route=\"/v1/jobs\",status=\"202\"}",
                "packline_api_requests_seconds_sum{method=\"GET\",route=\"/v1/jobs/{id}\",status=\"404\"}",
                "packline_api_errors_total{reason=\"not_found\",route=\"/v1/jobs/{id}\",status=\"404\"} 1.0",
                "packline_api_errors_total{reason=\"unauthorized\",route=\"/v1/jobs\",status=\"401\"} 1.0",
                "packline_api_errors_total{reason=\"missing_field\",route=\"/v1/jobs\",status=\"400\"} 1.0",
                "packline_api_submits_total{publisher=\"" + acme + "\",result=\"accepted\"} 2.0",
                "packline_api_submits_total{publisher=\"" + acme + "\",result=\"duplicate\"} 1.0",
                "packline_api_submits_total{publisher=\"" + acme + "\",result=\"rejected\"} 1.0",
                "packline_api_channels_submitted_total{publisher=\"" + acme + "\"} 12.0",
                "packline_api_sse_connections 0.0",
                "packline_redis_up 1.0",
                "jvm_memory_used_bytes");
        for (String line : expected) {
            assertTrue(metrics.contains(line), "missing " + line);
        }
        assertTrue(metrics.lines().noneMatch(l -> l.contains(id)), "no raw paths or ids in tags");
        assertTrue(metrics.lines().noneMatch(l -> l.contains(api.acmeToken)), "no tokens");
    }

    @Test
    void rateLimitsAreCountedByLimit() throws Exception {
        try (ApiFixture limited = new ApiFixture(temp.resolve("limited"))) {
            // the 'limited' publisher: bursts of 2, 25 channels in flight
            assertEquals(202, limited.post(limited.limitedToken, limited.body(20)).status());
            assertEquals(429, limited.post(limited.limitedToken, limited.body(10)).status());
            assertEquals(202, limited.post(limited.limitedToken, limited.body(1)).status());
            assertEquals(429, limited.post(limited.limitedToken, limited.body(1)).status());
            String metrics = limited.get(null, "/metrics").text();
            assertTrue(metrics.contains("packline_api_rate_limited_total{limit=\"channels_in_flight\",publisher=\"" + limited.limited + "\"} 1.0"), metrics);
            assertTrue(metrics.contains("packline_api_rate_limited_total{limit=\"submit_rate\",publisher=\"" + limited.limited + "\"} 1.0"), metrics);
            assertTrue(metrics.contains("packline_api_errors_total{reason=\"rate_limited\",route=\"/v1/jobs\",status=\"429\"} 2.0"), metrics);
        }
    }
}

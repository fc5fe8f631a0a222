package dev.packline.worker.metrics;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The liveness probe and the scrape, over real HTTP on loopback: what an orchestrator and Prometheus call. */
class MetricsEndpointTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(MetricsEndpoint endpoint, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzIsLiveUntilSomethingStopsThenNamesWhatStopped() throws Exception {
        AtomicReference<List<String>> stopped = new AtomicReference<>(List.of());
        try (MetricsEndpoint endpoint = new MetricsEndpoint().liveness(stopped::get).start("127.0.0.1", 0)) {
            HttpResponse<String> live = get(endpoint, "/healthz");
            assertEquals(200, live.statusCode());
            assertEquals("ok\n", live.body());

            stopped.set(List.of("package:3: no answer from Redis for 61000 ms", "upload:1: its thread has ended"));
            HttpResponse<String> dead = get(endpoint, "/healthz");
            assertEquals(503, dead.statusCode(), "an orchestrator restarts the process on this");
            assertEquals("not live: package:3: no answer from Redis for 61000 ms; upload:1: its thread has ended\n", dead.body());

            stopped.set(List.of());
            assertEquals(200, get(endpoint, "/healthz").statusCode(), "asked every time, not remembered");
        }
    }

    @Test
    void aSupervisorWithNoLoopsIsLiveWhileItAnswersAndItsJvmIsScraped() throws Exception {
        try (MetricsEndpoint endpoint = new MetricsEndpoint().start("127.0.0.1", 0)) {
            assertEquals(200, get(endpoint, "/healthz").statusCode());
            HttpResponse<String> scrape = get(endpoint, "/metrics");
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"), scrape.headers().toString());
            assertTrue(scrape.body().contains("jvm_memory_used_bytes{"), "JVM metrics are bound");
        }
    }
}

package dev.packline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.queue.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resuming the event stream over real HTTP: a Java client reads, disconnects and reconnects with
 * {@code Last-Event-ID}, and never gets a state twice or the final event twice; a stream that timed
 * out resumes without a repeat; the wait loop of docs/api.md, run as written with bash and curl,
 * reconnects through timeouts and prints the final status.
 */
class SseResumeTest {
    @TempDir
    Path temp;

    record Event(String id, String name, JsonNode data) {
    }

    /** One open stream, read event by event (comments and the retry block skipped). */
    static final class Stream implements AutoCloseable {
        final int status;
        final String retry;
        private final BufferedReader reader;

        Stream(ApiFixture api, String id, String lastEventId) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(api.uri("/v1/jobs/" + id + "/events")).header("Authorization", "Bearer " + api.acmeToken);
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<java.io.InputStream> r = api.http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = r.statusCode();
            reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
            retry = status == 200 ? reader.readLine() : null;
        }

        /** The next event; null when the stream ended. */
        Event next() throws Exception {
            String id = null;
            String name = null;
            String data = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty() && data != null) {
                    return new Event(id, name, ApiFixture.JSON.readTree(data));
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            return null;
        }

        @Override
        public void close() throws Exception {
            reader.close();
        }
    }

    @Test
    void aClientThatReconnectsWithLastEventIdGetsWhatChangedAndNeverAStateTwice() throws Exception {
        try (ApiFixture api = new ApiFixture(temp)) {
            OpenApiContract contract = new OpenApiContract();
            RequestStore store = new RequestStore(TestRedis.client(), Clock.systemUTC(), Duration.ofDays(1));
            String id = api.post(api.acmeToken, api.body(3)).json().get("id").asText();
            Event first;
            try (Stream s = new Stream(api, id, null)) {
                assertEquals("retry: 2000", s.retry);
                first = s.next();
            } // the client goes away
            assertEquals("progress", first.name());
            assertTrue(first.id().startsWith("p"), first.id());
            assertEquals(List.of(), contract.checkSchema("JobSummary", first.data()));

            try (Stream s = new Stream(api, id, "p-some-state-long-gone")) {
                Event current = s.next();
                assertEquals(first.id(), current.id(), "an id the request is no longer in: the current state at once");
            }

            Event changed;
            try (Stream s = new Stream(api, id, first.id())) {
                store.progress(id, 0, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of("objectKey", "a.apk"), true);
                changed = s.next(); // had the server repeated the state the client has, this would be it
                assertEquals("progress", changed.name());
                assertNotEquals(first.id(), changed.id());
                assertEquals(1, changed.data().get("channels").get("ended").asInt());
                assertEquals(List.of(), contract.checkSchema("JobSummary", changed.data()));
            }

            store.progress(id, 1, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of("objectKey", "b.apk"), true);
            store.progress(id, 2, Stage.PACKAGE, RequestStore.Outcome.DEAD, Map.of("error", "disk full"), true);
            Event done;
            try (Stream s = new Stream(api, id, changed.id())) {
                done = s.next();
                assertEquals("done", done.name(), "what it missed is the final state: sent at once");
                assertTrue(done.id().startsWith("d"), done.id());
                assertEquals("partly_failed", done.data().get("state").asText());
                assertEquals(List.of(), contract.checkSchema("JobStatus", done.data()));
                assertNull(s.next(), "the stream ends after the final event");
            }
            try (Stream s = new Stream(api, id, done.id())) {
                assertEquals(204, s.status, "a client that has the final event gets no stream and no second final event");
            }
            try (Stream s = new Stream(api, id, changed.id())) {
                assertEquals(done.id(), s.next().id(), "the final event's id is the same on every connection");
            }
        }
    }

    @Test
    void aStreamThatTimedOutResumesFromTheStateItLastSent() throws Exception {
        try (ApiFixture api = new ApiFixture(temp, "submitsPerMinute: 6000, submitBurst: 1000", "", "", "maxDuration: 1s")) {
            String id = api.post(api.acmeToken, api.body(2)).json().get("id").asText();
            Event progress;
            Event timeout;
            try (Stream s = new Stream(api, id, null)) {
                progress = s.next();
                timeout = s.next();
                assertNull(s.next(), "the stream ends after its maximum duration");
            }
            assertEquals("timeout", timeout.name());
            assertEquals(progress.id(), timeout.id(), "the timeout carries the id of the state last sent");
            try (Stream s = new Stream(api, id, timeout.id())) {
                assertEquals("timeout", s.next().name(), "nothing changed: no progress event again, only the next timeout");
            }
        }
    }

    @Test
    void theDocumentedWaitLoopReconnectsAndStopsOnTheFinalEvent() throws Exception {
        try (ApiFixture api = new ApiFixture(temp, "submitsPerMinute: 6000, submitBurst: 1000", "", "", "maxDuration: 1s")) {
            String id = api.post(api.acmeToken, api.body(2)).json().get("id").asText();
            Path script = Files.writeString(temp.resolve("wait.sh"), documentedWaitLoop());
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(false);
            pb.environment().putAll(Map.of("API", "http://127.0.0.1:" + api.api.port(), "ID", id, "PACKLINE_TOKEN", api.acmeToken));
            Process loop = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(loop.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(loop.getErrorStream()));
            Thread.sleep(3_500); // streams end every second: the loop reconnects at least once meanwhile
            RequestStore store = new RequestStore(TestRedis.client(), Clock.systemUTC(), Duration.ofDays(1));
            store.progress(id, 0, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of("objectKey", "a.apk"), true);
            store.progress(id, 1, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of("objectKey", "b.apk"), true);
            assertTrue(loop.waitFor(60, TimeUnit.SECONDS), "the loop stops after the final event");
            assertEquals(0, loop.exitValue(), "the request ended done: " + err.get());
            JsonNode status = ApiFixture.JSON.readTree(out.get().strip());
            assertEquals(id, status.get("id").asText());
            assertEquals("done", status.get("state").asText());

            String metrics = api.get(null, "/metrics").text();
            Matcher streams = Pattern.compile("packline_api_requests_seconds_count\\{method=\"GET\",route=\"/v1/jobs/\\{id}/events\",status=\"200\"} (\\d+)")
                    .matcher(metrics);
            assertTrue(streams.find(), metrics);
            assertTrue(Double.parseDouble(streams.group(1)) >= 2, "the loop reconnected: " + streams.group(1) + " streams");
        }
    }

    /** The bash block of docs/api.md that waits for a request. */
    private static String documentedWaitLoop() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "api.md"));
        int start = doc.indexOf("```bash\n# wait for request $ID at $API\n");
        assertTrue(start >= 0, "docs/api.md has the wait loop");
        int end = doc.indexOf("```", start + 7);
        return doc.substring(start + "```bash\n".length(), end);
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

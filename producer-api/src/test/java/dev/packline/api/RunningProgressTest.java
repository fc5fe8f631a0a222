package dev.packline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.api.EventsAndMetricsTest.Event;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.RunningChannels;
import dev.packline.pipeline.Stage;
import dev.packline.queue.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The progress of running channel jobs, as workers write it (RunningChannels, on the tests' real
 * Redis), in the request's status and in the progress events of its stream; gone once the
 * delivery ends and absent from a finished request.
 */
class RunningProgressTest {
    @TempDir
    Path temp;

    @Test
    void runningChannelsShowTheirStageProgressInTheStatusAndTheEvents() throws Exception {
        try (ApiFixture api = new ApiFixture(temp)) {
            String id = api.post(api.acmeToken, api.body(3)).json().get("id").asText();
            RunningChannels running = new RunningChannels(TestRedis.client(), Duration.ofMinutes(10));
            running.report(id, 1, Stage.UPLOAD, 0.4, "uploading 120 of 300 MB", 1_700_000_000_000L);

            JsonNode status = api.get(api.acmeToken, "/v1/jobs/" + id).json();
            assertEquals(1, status.get("running").size(), status.toString());
            JsonNode upload = status.get("running").get(0);
            assertEquals(1, upload.get("index").asInt());
            assertEquals("store-1", upload.get("channel").asText(), "the full status names the channel");
            assertEquals("upload", upload.get("stage").asText());
            assertEquals(0.4, upload.get("fraction").asDouble());
            assertEquals("uploading 120 of 300 MB", upload.get("message").asText());
            assertEquals("2023-11-14T22:13:20Z", upload.get("at").asText());

            HttpResponse<Stream<String>> response = api.http.send(HttpRequest.newBuilder(api.uri("/v1/jobs/" + id + "/events"))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + api.acmeToken).GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            Iterator<String> lines = response.body().iterator();
            Event first = EventsAndMetricsTest.next(lines);
            assertEquals("progress", first.name());
            assertEquals("uploading 120 of 300 MB", first.data().get("running").get(0).get("message").asText(), first.toString());

            running.report(id, 1, Stage.UPLOAD, 0.8, "uploading 240 of 300 MB", 1_700_000_001_000L);
            Event later = EventsAndMetricsTest.next(lines);
            assertEquals(0.8, later.data().get("running").get(0).get("fraction").asDouble(), "a new report is a new event: " + later);

            running.clear(id, 1, Stage.UPLOAD);
            Event cleared = EventsAndMetricsTest.next(lines);
            assertEquals(0, cleared.data().get("running").size(), "the delivery ended: " + cleared);

            // a lost delivery's last report is not shown once its channel ended, nor for a finished request
            running.report(id, 2, Stage.PACKAGE, 0.3, "writing channel store-2", 1_700_000_002_000L);
            RequestStore store = new RequestStore(TestRedis.client(), Clock.systemUTC(), Duration.ofDays(1));
            store.progress(id, 2, Stage.PACKAGE, RequestStore.Outcome.DEAD, Map.of("error", "worker lost"), true);
            assertEquals(0, api.get(api.acmeToken, "/v1/jobs/" + id).json().get("running").size());
            running.report(id, 0, Stage.PACKAGE, 0.3, "writing channel 华为-0", 1_700_000_003_000L);
            assertEquals(1, api.get(api.acmeToken, "/v1/jobs/" + id).json().get("running").size());
            store.progress(id, 0, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of(), true);
            store.progress(id, 1, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of(), true);
            Event done;
            do {
                done = EventsAndMetricsTest.next(lines);
            } while (!done.name().equals("done"));
            assertEquals(0, done.data().get("running").size(), "a finished request runs nothing: " + done);
            assertTrue(api.get(api.acmeToken, "/v1/jobs/" + id).json().get("running").isEmpty());
        }
    }
}

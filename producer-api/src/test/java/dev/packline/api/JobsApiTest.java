package dev.packline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.api.ApiFixture.Response;
import dev.packline.queue.JobRecord;
import dev.packline.queue.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Submit, read, list and cancel over real HTTP against a real server and Redis. */
class JobsApiTest {
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

    @Test
    void aSubmitIsAcceptedWithOnePackageJobPerChannelOnTheCurrentVersion() throws Exception {
        Response r = api.post(api.acmeToken, api.body(12));
        assertEquals(202, r.status(), r.toString());
        String id = r.json().get("id").asText();
        assertEquals(12, r.json().get("channels").asInt());
        assertEquals("/v1/jobs/" + id, r.json().get("status").asText());
        assertEquals("/v1/jobs/" + id, r.header("Location").orElseThrow());
        assertFalse(r.json().get("duplicate").asBoolean());

        for (int i = 0; i < 12; i++) {
            JobRecord job = api.packageJob(id, i).orElseThrow(() -> new AssertionError("no package job"));
            assertEquals(api.packageQueue(), job.queue(), "enqueued to the current version");
            assertEquals(JobState.PENDING, job.state());
            JsonNode payload = ApiFixture.JSON.readTree(job.payload());
            assertEquals(id, payload.get("requestId").asText());
            assertEquals(i % 3 == 0 ? "华为-" + i : "store-" + i, payload.get("channel").asText());
            assertEquals(api.mother.toUri().toString(), payload.get("mother").asText());
            assertEquals(3, ((Number) job.record().get("maxAttempts")).intValue(), "the worker configuration's pipeline.jobMaxAttempts");
        }
        assertTrue(api.packageJob(id, 12).isEmpty());
        assertEquals("spring", ApiFixture.JSON.readTree(api.packageJob(id, 0).orElseThrow().payload()).get("extra").get("campaign").asText());

        Response status = api.get(api.acmeToken, "/v1/jobs/" + id);
        assertEquals(200, status.status(), status.toString());
        JsonNode s = status.json();
        assertEquals(id, s.get("id").asText());
        assertEquals("queued", s.get("state").asText());
        assertEquals(0, s.get("progress").asInt());
        assertEquals(12, s.get("channels").get("total").asInt());
        assertEquals(0, s.get("channels").get("ended").asInt());
        assertTrue(s.get("timings").get("createdAt").asText().endsWith("Z"));
        assertTrue(s.get("timings").get("startedAt").isNull());
        assertEquals("local", s.get("request").get("outputStore").asText());
        assertEquals(List.of("ops-log"), List.of(s.get("request").get("notifyChannels").get(0).asText()));
        assertEquals("/v1/jobs/" + id + "/events", s.get("links").get("events").asText());
    }

    @Test
    void anIdempotencyKeyReturnsTheSameRequestAndADifferentBodyUnderItIsAConflict() throws Exception {
        String key = "build-" + System.nanoTime();
        Response first = api.post(api.acmeToken, api.body(5), key);
        assertEquals(202, first.status(), first.toString());
        String id = first.json().get("id").asText();
        long pendingAfterFirst = api.queues.counts(api.packageQueue()).pending();

        Response again = api.post(api.acmeToken, api.body(5), key);
        assertEquals(202, again.status(), again.toString());
        assertEquals(id, again.json().get("id").asText());
        assertTrue(again.json().get("duplicate").asBoolean());
        assertEquals("true", again.header("Idempotent-Replayed").orElseThrow());
        assertEquals(pendingAfterFirst, api.queues.counts(api.packageQueue()).pending(), "nothing enqueued twice");

        Response conflict = api.post(api.acmeToken, api.body(6), key);
        assertEquals(409, conflict.status(), conflict.toString());
        assertEquals("conflict", conflict.json().get("error").get("reason").asText());
        assertEquals("Idempotency-Key", conflict.json().get("error").get("problems").get(0).get("field").asText());
        assertEquals(pendingAfterFirst, api.queues.counts(api.packageQueue()).pending());

        Response sameKeyOtherPublisher = api.post(api.rivalToken, api.body(5), key);
        assertEquals(202, sameKeyOtherPublisher.status());
        assertNotEquals(id, sameKeyOtherPublisher.json().get("id").asText(), "keys are per publisher");

        Response withoutKey = api.post(api.acmeToken, api.body(5));
        assertNotEquals(id, withoutKey.json().get("id").asText());
    }

    @Test
    void anotherPublishersRequestAnswers404ForReadCancelAndEvents() throws Exception {
        String id = api.post(api.acmeToken, api.body(3)).json().get("id").asText();
        for (Response r : List.of(api.get(api.rivalToken, "/v1/jobs/" + id), api.delete(api.rivalToken, "/v1/jobs/" + id),
                api.get(api.rivalToken, "/v1/jobs/" + id + "/events"), api.get(api.rivalToken, "/v1/jobs/no-such-request"))) {
            assertEquals(404, r.status(), r.toString());
            assertEquals("not_found", r.json().get("error").get("reason").asText());
        }
        assertEquals("queued", api.get(api.acmeToken, "/v1/jobs/" + id).json().get("state").asText(), "the rival's cancel did nothing");
        assertTrue(api.get(api.rivalToken, "/v1/jobs").json().get("jobs").isEmpty());
    }

    @Test
    void aTokenLimitedToSomeAppsCanNeitherSubmitNorSeeOthers() throws Exception {
        String other = api.body(2).replace("com.acme.game", "com.acme.other");
        Response forbidden = api.post(api.acmeGameOnlyToken, other);
        assertEquals(403, forbidden.status(), forbidden.toString());
        assertEquals("forbidden", forbidden.json().get("error").get("reason").asText());
        assertEquals("appId", forbidden.json().get("error").get("problems").get(0).get("field").asText());

        String otherId = api.post(api.acmeToken, other).json().get("id").asText();
        String gameId = api.post(api.acmeGameOnlyToken, api.body(2)).json().get("id").asText();
        assertEquals(404, api.get(api.acmeGameOnlyToken, "/v1/jobs/" + otherId).status());
        assertEquals(200, api.get(api.acmeGameOnlyToken, "/v1/jobs/" + gameId).status());
        List<String> seen = ids(api.get(api.acmeGameOnlyToken, "/v1/jobs").json());
        assertEquals(List.of(gameId), seen);
        assertEquals(List.of(gameId, otherId), ids(api.get(api.acmeToken, "/v1/jobs").json()), "the unrestricted token sees both, newest first");
    }

    @Test
    void theListIsNewestFirstPaginatedByCursorAndFiltered() throws Exception {
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String body = i % 2 == 0 ? api.body(1) : api.body(1).replace("com.acme.game", "com.acme.other");
            submitted.add(0, api.post(api.acmeToken, body).json().get("id").asText());
        }
        List<String> pages = new ArrayList<>();
        String cursor = null;
        int calls = 0;
        do {
            Response page = api.get(api.acmeToken, "/v1/jobs?limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.status(), page.toString());
            pages.addAll(ids(page.json()));
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
            calls++;
        } while (cursor != null && calls < 10);
        assertEquals(submitted, pages, "every request once, newest first");

        List<String> games = ids(api.get(api.acmeToken, "/v1/jobs?app=com.acme.game&limit=100").json());
        assertEquals(4, games.size());
        assertEquals(Set.copyOf(List.of(submitted.get(0), submitted.get(2), submitted.get(4), submitted.get(6))), new HashSet<>(games));

        String cancelled = submitted.get(1);
        assertEquals(202, api.delete(api.acmeToken, "/v1/jobs/" + cancelled).status());
        JsonNode queued = api.get(api.acmeToken, "/v1/jobs?state=queued&limit=100").json();
        assertEquals(7, ids(queued).size(), "a cancel request leaves the state queued until workers end its channels");
        assertTrue(ids(api.get(api.acmeToken, "/v1/jobs?state=done").json()).isEmpty());

        Response badState = api.get(api.acmeToken, "/v1/jobs?state=finished");
        assertEquals(400, badState.status());
        assertEquals("state", badState.json().get("error").get("problems").get(0).get("field").asText());
        assertEquals(400, api.get(api.acmeToken, "/v1/jobs?limit=0").status());
        assertEquals(400, api.get(api.acmeToken, "/v1/jobs?limit=abc").status());
        assertEquals(400, api.get(api.acmeToken, "/v1/jobs?cursor=!!!").status());
    }

    @Test
    void cancelMarksTheRequestAndAFinishedRequestCannotBeCancelled() throws Exception {
        String id = api.post(api.acmeToken, api.body(2)).json().get("id").asText();
        Response cancel = api.delete(api.acmeToken, "/v1/jobs/" + id);
        assertEquals(202, cancel.status(), cancel.toString());
        assertTrue(cancel.json().get("cancelRequested").asBoolean());
        assertTrue(api.get(api.acmeToken, "/v1/jobs/" + id).json().get("cancelRequested").asBoolean());

        // the package stage ends cancelled channels as their jobs come up; here as the worker would record it
        var store = new dev.packline.pipeline.RequestStore(dev.packline.queue.TestRedis.client(), java.time.Clock.systemUTC(), java.time.Duration.ofDays(1));
        for (int i = 0; i < 2; i++) {
            store.progress(id, i, dev.packline.pipeline.Stage.PACKAGE, dev.packline.pipeline.RequestStore.Outcome.CANCELLED, java.util.Map.of(), true);
        }
        JsonNode s = api.get(api.acmeToken, "/v1/jobs/" + id).json();
        assertEquals("cancelled", s.get("state").asText());
        assertEquals(2, s.get("channels").get("cancelled").asInt());
        assertEquals(100, s.get("progress").asInt());
        Response again = api.delete(api.acmeToken, "/v1/jobs/" + id);
        assertEquals(409, again.status(), again.toString());
        assertEquals("conflict", again.json().get("error").get("reason").asText());
    }

    @Test
    void anUnknownRouteAnswersAJson404() throws Exception {
        Response r = api.get(api.acmeToken, "/v2/jobs");
        assertEquals(404, r.status());
        assertEquals("not_found", r.json().get("error").get("reason").asText());
        assertNull(r.json().get("error").get("problems"));
    }

    static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("jobs").forEach(j -> ids.add(j.get("id").asText()));
        return ids;
    }
}

package dev.packline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.api.ApiFixture.Response;
import dev.packline.queue.TestRedis;
import dev.packline.queue.schedule.ScheduleStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A publisher's recurring requests over real HTTP: created, listed and deleted by their owner only,
 * checked like a submit (fields, priority grant), at least an hour apart, and refused while the
 * deployment runs no housekeeping queue. The schedule's payload is the submit-request task the
 * workers' housekeeping stage runs (HousekeepingStageTest).
 */
class SchedulesApiTest {
    @TempDir
    Path temp;

    private static String schedule(String name, String cadence, String requestBody) {
        return "{\"name\": \"" + name + "\", " + cadence + ", \"request\": " + requestBody + "}";
    }

    private Response post(ApiFixture api, String token, String body) throws Exception {
        return api.send(HttpRequest.newBuilder(api.uri("/v1/schedules")).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void aPublisherSchedulesItsRecurringRequestAndOnlyItSeesIt() throws Exception {
        try (ApiFixture api = new ApiFixture(temp, "submitsPerMinute: 0, maxChannelsInFlight: 0, priorities: [urgent, normal, bulk]", "")) {
            String nightly = schedule("nightly", "\"cron\": \"0 2 * * *\", \"zone\": \"Asia/Shanghai\"", api.body(3));
            Response noQueue = post(api, api.acmeToken, nightly);
            assertEquals(409, noQueue.status(), "no housekeeping queue yet: " + noQueue);
            assertTrue(noQueue.json().get("error").get("message").asText().contains("no 'housekeeping' queue"), noQueue.toString());
            api.queues.ensureQueue("housekeeping");
            try {
                Response created = post(api, api.acmeToken, nightly);
                assertEquals(201, created.status(), created.toString());
                assertEquals("nightly", created.json().get("name").asText());
                assertTrue(created.json().get("nextTick").asText().endsWith("T18:00:00Z"), "02:00 in Shanghai: " + created);
                assertEquals(3, created.json().get("request").get("channels").size());
                assertEquals(api.acme, created.json().get("request").get("publisher").asText());

                JsonNode listed = api.get(api.acmeToken, "/v1/schedules").json().get("schedules");
                assertEquals(1, listed.size(), listed.toString());
                assertEquals(0, api.get(api.rivalToken, "/v1/schedules").json().get("schedules").size(), "another publisher sees none");
                assertEquals(404, api.delete(api.rivalToken, "/v1/schedules/nightly").status(), "nor deletes it");

                Response replaced = post(api, api.acmeToken, schedule("nightly", "\"every\": \"12h\"", api.body(2)));
                assertEquals(200, replaced.status(), replaced.toString());
                assertEquals("PT12H", replaced.json().get("every").asText());

                record Refusal(String token, String body, int status, String reason, String text) {
                }
                for (Refusal r : new Refusal[]{
                        new Refusal(api.acmeToken, schedule("often", "\"every\": \"10m\"", api.body(1)), 400, "invalid_request", "at least 60 minutes"),
                        new Refusal(api.acmeToken, schedule("often", "\"cron\": \"*/5 * * * *\"", api.body(1)), 400, "invalid_request", "at least 60 minutes"),
                        new Refusal(api.acmeToken, schedule("bad name", "\"every\": \"1h\"", api.body(1)), 400, "invalid_request", "name"),
                        new Refusal(api.acmeToken, schedule("none", "\"zone\": \"UTC\"", api.body(1)), 400, "invalid_request", "exactly one of"),
                        new Refusal(api.rivalToken, schedule("hot", "\"every\": \"1h\"", api.body(1).replaceFirst("\\{", "{\"priority\": \"urgent\", ")),
                                403, "priority_not_allowed", "may not send urgent"),
                        new Refusal(api.acmeToken, schedule("typo", "\"every\": \"1h\"", api.body(1).replaceFirst("\\{", "{\"colour\": 1, ")),
                                400, "unknown_field", "colour"),
                        new Refusal(api.acmeToken, "{\"name\": \"x\", \"every\": \"1h\"}", 400, "missing_field", "request")}) {
                    Response refused = post(api, r.token(), r.body());
                    assertEquals(r.status(), refused.status(), refused.toString());
                    assertEquals(r.reason(), refused.json().get("error").get("reason").asText(), refused.toString());
                    assertTrue(refused.text().contains(r.text()), r.text() + " in " + refused);
                }
                assertEquals(1, api.get(api.acmeToken, "/v1/schedules").json().get("schedules").size(), "the refusals made nothing");

                assertEquals(204, api.delete(api.acmeToken, "/v1/schedules/nightly").status());
                assertEquals(404, api.delete(api.acmeToken, "/v1/schedules/nightly").status());
                assertEquals(0, api.get(api.acmeToken, "/v1/schedules").json().get("schedules").size());
            } finally {
                ScheduleStore store = new ScheduleStore(TestRedis.client(), Clock.systemUTC());
                store.list().stream().filter(e -> e.schedule().name().startsWith("pub." + api.acme + ".")).forEach(e -> store.remove(e.schedule().name()));
                api.queues.obliterate(api.queues.current("housekeeping").orElseThrow(), true);
            }
        }
    }
}

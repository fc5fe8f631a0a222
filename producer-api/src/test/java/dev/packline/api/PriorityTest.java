package dev.packline.api;

import dev.packline.api.ApiFixture.Response;
import dev.packline.queue.JobRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request priorities over real HTTP: a granted publisher's urgent request becomes urgent package
 * jobs in its group; urgent is refused (403 priority_not_allowed, nothing recorded) to a publisher
 * without the grant and above the urgent channel cap; an unknown level is a field problem.
 */
class PriorityTest {
    @TempDir
    Path temp;

    private static String withPriority(String body, String priority) {
        return body.replaceFirst("\\{", "{\"priority\": \"" + priority + "\", ");
    }

    @Test
    void aGrantedPublisherSubmitsUrgentJobsInItsGroup() throws Exception {
        try (ApiFixture api = new ApiFixture(temp, "submitsPerMinute: 0, maxChannelsInFlight: 0, priorities: [urgent, normal], maxUrgentChannels: 3", "")) {
            Response r = api.post(api.acmeToken, withPriority(api.body(3), "urgent"));
            assertEquals(202, r.status(), r.toString());
            String id = r.json().get("id").asText();
            for (int i = 0; i < 3; i++) {
                JobRecord job = api.packageJob(id, i).orElseThrow();
                assertEquals("urgent", job.record().get("level"), "the job waits at the urgent level: " + job.record());
                assertEquals(api.acme, job.record().get("group"));
                assertEquals("urgent", ApiFixture.JSON.readTree(job.payload()).get("priority").asText(), "its upload will be urgent too");
            }
            assertEquals("urgent", api.get(api.acmeToken, "/v1/jobs/" + id).json().get("request").get("priority").asText());

            Response normal = api.post(api.acmeToken, api.body(2));
            assertEquals(202, normal.status(), normal.toString());
            String normalId = normal.json().get("id").asText();
            assertEquals("normal", api.packageJob(normalId, 0).orElseThrow().record().get("level"), "no priority given is normal");
            assertEquals("normal", api.get(api.acmeToken, "/v1/jobs/" + normalId).json().get("request").get("priority").asText());

            Response bulk = api.post(api.acmeToken, withPriority(api.body(1), "bulk"));
            assertEquals(403, bulk.status(), "bulk is not in this publisher's list: " + bulk);
            assertTrue(bulk.json().get("error").get("message").asText().contains("may send urgent, normal"), bulk.toString());
        }
    }

    @Test
    void urgentIsRefusedWithoutTheGrantAndAboveTheCap() throws Exception {
        try (ApiFixture api = new ApiFixture(temp, "submitsPerMinute: 0, maxChannelsInFlight: 0, priorities: [urgent, normal, bulk], maxUrgentChannels: 3", "")) {
            Response denied = api.post(api.rivalToken, withPriority(api.body(1), "urgent"));
            assertEquals(403, denied.status(), denied.toString());
            assertEquals("priority_not_allowed", denied.json().get("error").get("reason").asText());
            assertEquals("priority", denied.json().get("error").get("problems").get(0).get("field").asText());
            assertTrue(denied.json().get("error").get("message").asText().contains("may send normal, bulk"), denied.toString());
            assertEquals(0, JobsApiTest.ids(api.get(api.rivalToken, "/v1/jobs").json()).size(), "nothing recorded");

            Response tooBig = api.post(api.acmeToken, withPriority(api.body(4), "urgent"));
            assertEquals(403, tooBig.status(), tooBig.toString());
            assertEquals("priority_not_allowed", tooBig.json().get("error").get("reason").asText());
            assertTrue(tooBig.json().get("error").get("message").asText().contains("at most 3 channels"), tooBig.toString());
            assertEquals(0, JobsApiTest.ids(api.get(api.acmeToken, "/v1/jobs").json()).size(), "nothing recorded");

            assertEquals(202, api.post(api.rivalToken, withPriority(api.body(2), "bulk")).status(), "bulk needs no grant");

            Response unknown = api.post(api.acmeToken, withPriority(api.body(1), "asap"));
            assertEquals(400, unknown.status(), unknown.toString());
            assertEquals("priority", unknown.json().get("error").get("problems").get(0).get("field").asText());
            assertTrue(unknown.json().get("error").get("message").asText().contains("urgent, normal or bulk, got 'asap'"), unknown.toString());
        }
    }
}

package dev.packline.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.api.ApiConfig;
import dev.packline.api.ApiServer;
import dev.packline.notify.LogAlertChannel;
import dev.packline.pipeline.Stage;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.schedule.Schedule;
import dev.packline.queue.schedule.ScheduleStore;
import dev.packline.settings.Settings;
import dev.packline.worker.WorkerApp;
import dev.packline.worker.WorkerConfig;
import dev.packline.worker.stage.PackagingTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A publisher's scheduled request is one of its requests like any other: a schedule made through
 * the real API (POST /v1/schedules) ticks, a real worker's housekeeping stage submits the request,
 * and GET /v1/jobs lists it beside a request the publisher submitted itself (another publisher's
 * list does not), GET /v1/jobs/{id} shows it and DELETE cancels it.
 */
class ScheduledRequestListingTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void aRequestSubmittedByAScheduleIsListedWithThePublishersOwnRequests() throws Exception {
        String publisher = "sched-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        String token = "sched-token-" + System.nanoTime();
        Path store = Files.createDirectories(temp.resolve("store")).toRealPath();
        Path mother = Files.write(temp.resolve("game.apk"), new byte[]{1}).toRealPath(); // never packaged: the request is cancelled
        Path workerYml = Files.writeString(temp.resolve("worker.yml"), """
                redis: {url: "%s"}
                queues:
                  housekeeping: {concurrency: 1}
                metrics: {port: 0}
                logging: {format: console}
                mothers: {cacheDir: "%s", cacheMaxBytes: 1GiB, allowedRoots: ["%s"]}
                stores:
                  local: {kind: local, path: "%s", publicBaseUrl: "http://127.0.0.1:1/"}
                pipeline: {workDir: "%s", jobMaxAttempts: 3, jobTimeout: 2m}
                """.formatted(TestRedis.url(), temp.resolve("cache"), temp.toRealPath(), store, temp.resolve("work")));
        String request = """
                {"appId": "com.sched.game", "mother": "%s", "channels": ["huawei", "oppo"], "outputStore": "local", "outputPrefix": "game/"}
                """.formatted(mother.toUri());
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC())) {
            QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
            inspector.ensureQueue(Stage.PACKAGE.queueName());
            inspector.ensureQueue("housekeeping");
            ScheduleStore schedules = new ScheduleStore(TestRedis.client(), Clock.systemUTC());
            try (WorkerApp worker = new WorkerApp(WorkerConfig.read(Settings.load(workerYml, Map.of())), PackagingTools.channelBuilder(),
                    PackagingTools.patchMaker(), new LogAlertChannel(), Clock.systemUTC()).start();
                 ApiServer api = ApiServer.start(ApiConfig.load(ApiFiles.apiYml(temp, publisher, token), Map.of()))) {
                Api http = new Api(api.port(), token);
                JsonNode own = http.send("POST", "/v1/jobs", request);
                assertEquals(202, own.get("status").asInt(), own.toString());
                JsonNode created = http.send("POST", "/v1/schedules", "{\"name\": \"nightly\", \"every\": \"24h\", \"request\": " + request + "}");
                assertEquals(201, created.get("status").asInt(), created.toString());

                // the tick, as the scheduler fires it: the schedule's job for its next tick on its queue
                Schedule schedule = schedules.get("pub." + publisher + ".nightly").orElseThrow();
                long tick = schedules.list().stream().filter(e -> e.schedule().name().equals(schedule.name())).findFirst().orElseThrow()
                        .nextTick().orElseThrow().toEpochMilli();
                new QueueClient(broker).enqueue(schedule.queue(), schedule.job(tick));

                String ownId = own.get("body").get("id").asText();
                List<String> listed = awaitListed(http, 2);
                assertEquals(2, listed.size(), "the publisher's own request and the scheduled one: " + listed);
                assertTrue(listed.contains(ownId), listed.toString());
                String scheduledId = listed.stream().filter(id -> !id.equals(ownId)).findFirst().orElseThrow();

                JsonNode shown = http.send("GET", "/v1/jobs/" + scheduledId, null);
                assertEquals(200, shown.get("status").asInt(), shown.toString());
                assertEquals("com.sched.game", shown.get("body").get("appId").asText(), shown.toString());
                assertEquals(2, shown.get("body").get("channels").get("total").asInt(), shown.toString());
                assertEquals(1, http.send("GET", "/v1/jobs?state=queued&app=com.sched.game&limit=1", null).get("body").get("jobs").size(),
                        "filters and pages apply to it as to any request");

                for (String id : List.of(ownId, scheduledId)) {
                    JsonNode cancelled = http.send("DELETE", "/v1/jobs/" + id, null);
                    assertTrue(cancelled.get("status").asInt() / 100 == 2, cancelled.toString());
                }
            } finally {
                schedules.list().stream().filter(e -> e.schedule().name().startsWith("pub." + publisher + "."))
                        .forEach(e -> schedules.remove(e.schedule().name()));
            }
        }
    }

    /** GET /v1/jobs until it lists {@code count} requests (the housekeeping job runs on the worker meanwhile); their ids. */
    private static List<String> awaitListed(Api http, int count) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        List<String> ids = new ArrayList<>();
        while (Instant.now().isBefore(deadline)) {
            JsonNode page = http.send("GET", "/v1/jobs", null);
            assertEquals(200, page.get("status").asInt(), page.toString());
            ids.clear();
            page.get("body").get("jobs").forEach(j -> ids.add(j.get("id").asText()));
            if (ids.size() >= count) {
                return ids;
            }
            Thread.sleep(100);
        }
        return ids;
    }

    /** The API on loopback with one publisher's token; every answer as {"status": N, "body": JSON}. */
    private record Api(int port, String token) {
        JsonNode send(String method, String path, String body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token);
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            HttpResponse<String> res = HTTP.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.createObjectNode().put("status", res.statusCode())
                    .set("body", res.body().isEmpty() ? JSON.nullNode() : JSON.readTree(res.body()));
        }
    }
}

package dev.packline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.redis.EmbeddedRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code admin init} on an empty redis-server of its own (not the shared test Redis): a fresh deployment's first start. */
class AdminInitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PIPELINE_QUEUES = List.of("package", "upload", "diff", "notify");

    private EmbeddedRedis redis;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void emptyRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterEach
    void stop() {
        redis.close();
    }

    private Run admin(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("--redis", redis.url()));
        argv.addAll(Arrays.asList(args));
        int exit = AdminMain.run(argv, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), null, false, Clock.systemUTC());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void initCreatesVersionOneOfEveryPipelineQueueOnceAndThenChangesNothing() throws Exception {
        Run first = admin("init");
        assertEquals(0, first.exit(), first.err());
        List<String> lines = first.out().lines().toList();
        assertEquals(5, lines.size(), first.out());
        assertEquals(List.of("QUEUE", "CURRENT", "OUTCOME"), Arrays.asList(lines.get(0).trim().split("\\s+")));
        for (int i = 0; i < PIPELINE_QUEUES.size(); i++) {
            assertEquals(List.of(PIPELINE_QUEUES.get(i), "1", "created"), Arrays.asList(lines.get(i + 1).trim().split("\\s+")));
        }

        Run again = admin("--json", "init");
        assertEquals(0, again.exit(), again.err());
        JsonNode rows = JSON.readTree(again.out());
        assertEquals(PIPELINE_QUEUES.size(), rows.size());
        for (int i = 0; i < PIPELINE_QUEUES.size(); i++) {
            assertEquals(PIPELINE_QUEUES.get(i), rows.get(i).path("queue").asText());
            assertEquals(1, rows.get(i).path("current").asInt());
            assertEquals("existed", rows.get(i).path("outcome").asText());
        }

        try (RedisQueueBroker broker = RedisQueueBroker.connect(redis.url(), Clock.systemUTC(), dev.packline.queue.redis.Retention.DEFAULT)) {
            for (String queue : PIPELINE_QUEUES) {
                assertEquals(List.of(QueueVersion.of(queue, 1)), broker.versions(queue), queue + " has exactly one version");
                assertEquals(QueueVersion.of(queue, 1), broker.currentVersion(queue).orElseThrow());
            }
        }
        Run queues = admin("--json", "queues");
        assertEquals(PIPELINE_QUEUES.size(), JSON.readTree(queues.out()).size(), queues.out());
    }

    @Test
    void initRefusesArguments() {
        Run run = admin("init", "package");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("init takes no arguments, got 'package'"), run.err());
    }
}

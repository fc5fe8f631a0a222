package dev.packline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.Job;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedisCluster;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The admin commands on a real three-master Redis Cluster. */
class AdminClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theVersionLifecycleAndDeadLettersWorkOnRedisCluster() throws Exception {
        try (TestRedisCluster cluster = new TestRedisCluster();
             RedisQueueBroker broker = RedisQueueBroker.connect(cluster.url(), Clock.systemUTC(), Retention.DEFAULT)) {
            QueueClient client = new QueueClient(broker);
            assertEquals(0, run(cluster, "version", "new", "--queue", "upload").exit);
            client.enqueueBatch("upload", List.of(NewJob.of("{}"), NewJob.of("{}").withMaxAttempts(1)));
            QueueVersion v1 = QueueVersion.of("upload", 1);
            broker.fetch(v1, "w", 1, null, Duration.ofSeconds(30));
            Job bad = broker.fetch(v1, "w", 1, null, Duration.ofSeconds(30)).jobs().get(0);
            broker.fail(v1, "w", new QueueBroker.Failure(bad, "bad", System.currentTimeMillis(), true));

            assertEquals(1, JSON.readTree(run(cluster, "--json", "dead", "list", "--queue", "upload").out).size());
            assertEquals(0, run(cluster, "dead", "delete", bad.id(), "--queue", "upload").exit);
            assertEquals(0, run(cluster, "version", "new", "--queue", "upload").exit);
            assertEquals(0, run(cluster, "version", "set-current", "--queue", "upload", "--version", "2").exit);
            assertEquals(0, run(cluster, "pause", "--queue", "upload").exit);
            assertEquals(0, run(cluster, "recover").exit);
            Result drain = run(cluster, "--json", "drain", "--queue", "upload", "--version", "1", "--migrate-to", "2");
            assertEquals(0, drain.exit, drain.err);
            broker.release(v1, "w"); // the one active job goes back and is migrated on the next drain
            assertEquals(1, JSON.readTree(run(cluster, "--json", "drain", "--queue", "upload", "--version", "1", "--migrate-to", "2", "--wait").out).get("migrated").asInt());
            assertEquals(0, run(cluster, "obliterate", "--queue", "upload", "--version", "1", "--yes").exit);
            JsonNode queues = JSON.readTree(run(cluster, "--json", "queues").out);
            assertEquals(1, queues.size());
            assertEquals(1, queues.get(0).get("pending").asInt(), "the one job left, moved to v2");
            assertEquals(0, run(cluster, "--json", "workers").exit);
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(TestRedisCluster cluster, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("--redis", cluster.url()));
        argv.addAll(Arrays.asList(args));
        int exit = AdminMain.run(argv, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), null, false, Clock.systemUTC());
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

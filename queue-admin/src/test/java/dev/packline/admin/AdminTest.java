package dev.packline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.Enqueued;
import dev.packline.queue.Job;
import dev.packline.queue.JobProgress;
import dev.packline.queue.NewJob;
import dev.packline.queue.Priority;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.VersionState;
import dev.packline.queue.redis.Keys;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.worker.Subscription;
import dev.packline.queue.worker.Worker;
import dev.packline.queue.worker.WorkerTimings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every admin command against a real Redis, with its exit code and its JSON shape. */
class AdminTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private RedisQueueBroker broker;
    private QueueInspector inspector;
    private QueueClient client;
    private String name;

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(Clock.systemUTC());
        inspector = new QueueInspector(broker, Clock.systemUTC());
        client = new QueueClient(broker);
        name = TestRedis.uniqueQueue("admin");
    }

    @AfterEach
    void tearDown() {
        for (QueueVersion v : broker.versions(name)) {
            broker.obliterate(v, true);
        }
        broker.close();
    }

    private Run answering(String stdin, String... args) {
        return run(Clock.systemUTC(), stdin, args);
    }

    /** One admin command on the tests' Redis with {@code stdin} as its input and {@code clock} as its time (other admin tests use it too). */
    static Run run(Clock clock, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("--redis", TestRedis.url()));
        argv.addAll(Arrays.asList(args));
        int exit = AdminMain.run(argv, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), null, false, clock);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run admin(String... args) {
        return answering("", args);
    }

    private List<String> deadLetters(QueueVersion v, int count, String error, String request) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            client.enqueue(v, NewJob.of("{\"requestId\":\"" + request + "\",\"channel\":\"c" + i + "\"}").withMaxAttempts(1));
            Job job = broker.fetch(v, "w", 1, null, Duration.ofSeconds(30)).jobs().get(0);
            broker.fail(v, "w", new QueueBroker.Failure(job, error, System.currentTimeMillis(), true));
            ids.add(job.id());
        }
        return ids;
    }

    @Test
    void queuesListsEveryVersionWithItsCountsAsATableOrJson() throws Exception {
        QueueVersion v1 = inspector.ensureQueue(name);
        client.enqueueBatch(name, List.of(NewJob.of("{}"), NewJob.of("{}")));
        inspector.newVersion(name);

        Run table = admin("queues");
        assertEquals(0, table.exit(), table.err());
        assertTrue(table.out().startsWith("QUEUE"), table.out());
        assertTrue(table.out().contains(name), table.out());

        JsonNode rows = admin("--json", "queues").json();
        JsonNode mine = null;
        for (JsonNode row : rows) {
            if (row.path("queue").asText().equals(name) && row.path("version").asInt() == 1) {
                mine = row;
            }
        }
        assertTrue(mine != null, rows.toString());
        for (String field : List.of("queue", "version", "state", "current", "paused", "pending", "active", "retry", "delayed", "dead",
                "oldestPendingSeconds", "workers", "perMinute5m")) {
            assertTrue(mine.has(field), "missing " + field + " in " + mine);
        }
        assertEquals(2, mine.get("pending").asInt());
        assertTrue(mine.get("current").asBoolean());
        assertEquals("active", mine.get("state").asText());
        assertEquals(v1.version(), mine.get("version").asInt());
    }

    @Test
    void versionsAreCreatedAndSwitchedAndPausedWithJsonAnswers() throws Exception {
        inspector.ensureQueue(name);
        JsonNode created = admin("--json", "version", "new", "--queue", name).json();
        assertEquals(2, created.get("version").asInt());
        assertFalse(created.get("current").asBoolean());
        assertEquals(0, admin("version", "set-current", "--queue", name, "--version", "2").exit());
        assertEquals(QueueVersion.of(name, 2), inspector.current(name).orElseThrow());

        JsonNode paused = admin("--json", "pause", "--queue", name).json();
        assertEquals(2, paused.get("version").asInt(), "the current version by default");
        assertTrue(inspector.counts(QueueVersion.of(name, 2)).paused());
        assertEquals(0, admin("resume", "--queue", name, "--version", "2").exit());
        assertFalse(inspector.counts(QueueVersion.of(name, 2)).paused());

        Run refused = admin("version", "set-current", "--queue", name, "--version", "9");
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("no such version"), refused.err());
    }

    @Test
    void jobShowsOneJobWithSecretsMasked() throws Exception {
        QueueVersion v = inspector.ensureQueue(name);
        Enqueued job = client.enqueue(name, NewJob.of("{\"channel\":\"华为\",\"uploadToken\":\"tok-123\",\"mother\":\"https://user:hunter2@cdn.example.com/a.apk\"}"));

        Run run = admin("--json", "job", job.id());
        assertEquals(0, run.exit(), run.err());
        JsonNode doc = run.json();
        assertEquals(job.id(), doc.get("id").asText());
        assertEquals(name, doc.get("queue").asText());
        assertEquals("pending", doc.get("state").asText());
        assertEquals("华为", doc.get("payload").get("channel").asText());
        assertEquals("***", doc.get("payload").get("uploadToken").asText());
        assertFalse(run.out().contains("hunter2") || run.out().contains("tok-123"), run.out());
        for (String field : List.of("attempts", "maxAttempts", "worker", "lastError", "createdAt", "errors")) {
            assertTrue(doc.has(field), field);
        }
        assertEquals(3, admin("job", "no-such-job", "--queue", name).exit());
        assertEquals(v.version(), doc.get("version").asInt());
    }

    @Test
    void groupSetChangesWeightAndCapAndGroupListShowsRunningAndParkedJobs() throws Exception {
        QueueVersion v = inspector.ensureQueue(name);
        assertEquals(0, admin("group", "set", "--queue", name, "--group", "pubA", "--cap", "1", "--weight", "3").exit());
        client.enqueueBatch(name, List.of(NewJob.of("{}").withGroup("pubA"), NewJob.of("{}").withGroup("pubA")));
        assertEquals(1, broker.fetch(v, "w1", 5, null, Duration.ofSeconds(30)).jobs().size(), "the cap holds");

        JsonNode row = admin("--json", "group", "list", "--queue", name).json().get(0);
        assertEquals("pubA", row.get("group").asText());
        assertEquals(3, row.get("weight").asInt());
        assertEquals(1, row.get("cap").asInt());
        assertEquals(1, row.get("running").asLong());
        assertEquals(1, row.get("parked").asLong());

        JsonNode set = admin("--json", "group", "set", "--queue", name, "--group", "pubA", "--cap", "none").json().get(0);
        assertEquals(1, set.get("unparked").asInt(), "no cap: the parked job goes back");
        Run bad = admin("group", "set", "--queue", name, "--group", "pub A", "--cap", "0");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("at least 1"), bad.err());
    }

    @Test
    void jobShowsPriorityGroupAndTheRunningDeliverysProgress() throws Exception {
        QueueVersion v = inspector.ensureQueue(name);
        Enqueued job = client.enqueue(name, NewJob.of("{}").withPriority(Priority.URGENT).withGroup("pubA"));
        Job running = broker.fetch(v, "w1", 1, null, Duration.ofSeconds(30)).jobs().get(0);
        assertTrue(broker.reportProgress(v, "w1", running, new JobProgress(0.4, "uploaded 120 of 300 MB", System.currentTimeMillis())));

        JsonNode doc = admin("--json", "job", job.id()).json();
        assertEquals("urgent", doc.get("priority").asText());
        assertEquals("pubA", doc.get("group").asText());
        assertTrue(doc.get("progress").asText().startsWith("40.0% uploaded 120 of 300 MB"), doc.toString());

        broker.complete(v, "w1", List.of(new QueueBroker.Ack(running.id(), running.token())));
        assertTrue(admin("--json", "job", job.id()).json().get("progress").isNull(), "cleared with the delivery");
        Enqueued plain = client.enqueue(name, NewJob.of("{}"));
        JsonNode plainDoc = admin("--json", "job", plain.id()).json();
        assertEquals("normal", plainDoc.get("priority").asText());
        assertEquals("(default)", plainDoc.get("group").asText());
    }

    @Test
    void deadLettersAreListedFilteredRequeuedAndDeleted() throws Exception {
        QueueVersion v = inspector.ensureQueue(name);
        List<String> disk = deadLetters(v, 3, "disk full", "req-1");
        List<String> sign = deadLetters(v, 2, "mother not signed", "req-2");

        JsonNode all = admin("--json", "dead", "list", "--queue", name).json();
        assertEquals(5, all.size());
        for (String field : List.of("id", "queue", "version", "deadAt", "attempts", "reason", "error")) {
            assertTrue(all.get(0).has(field), field);
        }
        assertEquals(3, admin("--json", "dead", "list", "--queue", name, "--error", "disk").json().size());
        assertEquals(2, admin("--json", "dead", "list", "--queue", name, "--request", "req-2").json().size());
        assertEquals(5, admin("--json", "dead", "list", "--queue", name, "--since", Instant.now().minusSeconds(60).toString()).json().size());
        assertEquals(0, admin("--json", "dead", "list", "--queue", name, "--until", Instant.now().minusSeconds(60).toString()).json().size());
        assertEquals(2, admin("dead", "list", "--queue", name, "--since", "yesterday").exit(), "a bad time is a usage error");

        JsonNode shown = admin("--json", "dead", "show", sign.get(0), "--queue", name).json();
        assertEquals("mother not signed", shown.get("lastError").asText());

        assertEquals(1, admin("--json", "dead", "requeue", sign.get(0), "--queue", name).json().get("requeued").asInt());
        Run unconfirmed = answering("", "dead", "requeue", "--all", "--queue", name, "--error", "disk");
        assertEquals(1, unconfirmed.exit(), "--all asks first; no answer means no");
        assertEquals(4, inspector.counts(v).dead());
        assertEquals(3, answering("yes\n", "--json", "dead", "requeue", "--all", "--queue", name, "--error", "disk").json().get("requeued").asInt());
        assertEquals(1, admin("--json", "dead", "delete", "--all", "--queue", name, "--yes").json().get("deleted").asInt());
        assertEquals(0, inspector.counts(v).dead());
        assertEquals(4, inspector.counts(v).pending());
        assertEquals(3, admin("dead", "delete", disk.get(0), "--queue", name).exit(), "not a dead letter any more");
        assertEquals(2, admin("dead", "delete", "--queue", name).exit(), "neither ids nor --all");
        assertEquals(2, admin("dead", "list", "--queue", name, "--eror", "x").exit(), "a misspelt filter is refused, not ignored");
    }

    @Test
    void drainingWhileProducersAndWorkersRunEndsEveryJobExactlyOnce() throws Exception {
        QueueVersion v1 = inspector.ensureQueue(name);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        WorkerTimings timings = WorkerTimings.DEFAULT.withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(2));
        QueueVersion v2 = inspector.newVersion(name);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            workers.add(new Worker(Worker.Params.of(broker, List.of(
                    Subscription.of(v1, 4, job -> {
                        runs.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
                        Thread.sleep(2);
                    }),
                    Subscription.of(v2, 4, job -> runs.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet())))
                    .withTimings(timings)).start());
        }
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicInteger produced = new AtomicInteger();
        Thread producer = Thread.ofVirtual().start(() -> {
            while (producing.get()) {
                List<NewJob> batch = new ArrayList<>();
                for (int k = 0; k < 20; k++) {
                    batch.add(NewJob.of("{}").withId("job-" + produced.getAndIncrement()));
                }
                client.enqueueBatch(name, batch); // to the current version, whichever it is now
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            Thread.sleep(500);
            assertEquals(0, admin("version", "set-current", "--queue", name, "--version", "2").exit());
            Run drained = admin("--json", "drain", "--queue", name, "--version", "1", "--wait", "--timeout", "60s");
            assertEquals(0, drained.exit(), drained.err());
            assertEquals("retired", drained.json().get("state").asText());
            assertEquals(0, drained.json().get("left").asInt());
            Thread.sleep(300);
        } finally {
            producing.set(false);
            producer.join();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (inspector.counts(v2).unfinished() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        workers.forEach(Worker::close);

        assertEquals(VersionState.RETIRED, inspector.counts(v1).state());
        assertEquals(produced.get(), runs.size(), "every job produced ran");
        assertTrue(runs.values().stream().allMatch(n -> n.get() == 1), "and each exactly once");
        assertEquals(produced.get(), inspector.counts(v1).counter("completed") + inspector.counts(v2).counter("completed"));
        assertTrue(inspector.counts(v1).counter("completed") > 0 && inspector.counts(v2).counter("completed") > 0, "both versions served");
    }

    @Test
    void drainCanMoveWaitingJobsToTheNewVersion() throws Exception {
        QueueVersion v1 = inspector.ensureQueue(name);
        client.enqueueBatch(name, List.of(NewJob.of("{}"), NewJob.of("{}"), NewJob.of("{}")));
        admin("version", "new", "--queue", name);
        admin("version", "set-current", "--queue", name, "--version", "2");

        JsonNode doc = admin("--json", "drain", "--queue", name, "--version", "1", "--migrate-to", "2", "--wait").json();

        assertEquals(3, doc.get("migrated").asInt());
        assertEquals("retired", doc.get("state").asText());
        assertEquals(3, inspector.counts(QueueVersion.of(name, 2)).pending());
        assertEquals(1, admin("drain", "--queue", name, "--version", "2").exit(), "the current version cannot be drained");
        assertEquals(v1, QueueVersion.of(name, 1));
    }

    @Test
    void obliterateAsksFirstIsRefusedForLiveVersionsAndRemovesEveryKey() throws Exception {
        inspector.ensureQueue(name);
        client.enqueue(name, NewJob.of("{}"));
        assertEquals(1, admin("obliterate", "--queue", name, "--version", "1").exit(), "not confirmed");
        Run refused = admin("obliterate", "--queue", name, "--version", "1", "--yes");
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("not retired"), refused.err());

        admin("version", "new", "--queue", name);
        admin("version", "set-current", "--queue", name, "--version", "2");
        admin("drain", "--queue", name, "--version", "1", "--migrate-to", "2", "--wait");
        JsonNode done = admin("--json", "obliterate", "--queue", name, "--version", "1", "--yes").json();
        assertTrue(done.get("keysDeleted").asInt() > 0);
        try (UnifiedJedis redis = TestRedis.client()) {
            assertEquals(List.of(), TestRedis.keys(redis, Keys.PREFIX + "{" + name + ":1}*"));
        }
    }

    @Test
    void recoverAndWorkersShowWhatTheyFoundAndWhoIsAlive() throws Exception {
        QueueVersion v = inspector.ensureQueue(name);
        client.enqueue(name, NewJob.of("{}"));
        broker.fetch(v, "gone-worker", 1, null, Duration.ofMillis(1));
        Thread.sleep(20);
        JsonNode recovered = admin("--json", "recover", "--queue", name).json();
        assertEquals(1, recovered.get(0).get("returned").asInt());

        try (Worker worker = new Worker(Worker.Params.of(broker, List.of(Subscription.of(v, 2, job -> { })))).start()) {
            JsonNode workers = admin("--json", "workers").json();
            JsonNode mine = null;
            for (JsonNode w : workers) {
                if (w.get("id").asText().equals(worker.id())) {
                    mine = w;
                }
            }
            assertTrue(mine != null, workers.toString());
            for (String field : List.of("host", "pid", "queues", "jobsDone", "held", "lastHeartbeatSecondsAgo", "uptimeSeconds", "recycles")) {
                assertTrue(mine.has(field), field);
            }
            assertEquals(ProcessHandle.current().pid(), mine.get("pid").asLong());
            assertEquals(v.label(), mine.get("queues").get(0).asText());
        }
    }

    @Test
    void exitCodesTellScriptsWhatHappened() {
        assertEquals(0, admin("--help").exit());
        assertEquals(2, admin("frobnicate").exit());
        assertEquals(2, admin("version", "new").exit(), "--queue missing");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int unreachable = AdminMain.run(List.of("--redis", "redis://127.0.0.1:1", "queues"), new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err), null, false, Clock.systemUTC());
        assertEquals(4, unreachable, err.toString());
        assertTrue(err.toString().contains("unreachable"), err.toString());
        assertEquals(2, AdminMain.run(List.of("queues"), new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), null, false, Clock.systemUTC()), "no Redis named");
    }
}

package dev.packline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.Job;
import dev.packline.queue.JobState;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.retry.Backoff;
import dev.packline.queue.worker.Subscription;
import dev.packline.queue.worker.Worker;
import dev.packline.queue.worker.WorkerTimings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code admin jobs ...} and {@code admin job ACTION ID} against a real Redis, with a real worker for running jobs. */
class JobCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final WorkerTimings FAST = WorkerTimings.DEFAULT.withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(2))
            .withShutdownTimeout(Duration.ofSeconds(2));

    private RedisQueueBroker broker;
    private QueueClient client;
    private QueueVersion queue;
    private String name;
    private final List<Worker> workers = new ArrayList<>();

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(Clock.systemUTC());
        client = new QueueClient(broker);
        name = TestRedis.uniqueQueue("jobs");
        queue = new QueueInspector(broker, Clock.systemUTC()).ensureQueue(name);
    }

    @AfterEach
    void tearDown() {
        workers.forEach(Worker::close);
        for (QueueVersion v : broker.versions(name)) {
            broker.obliterate(v, true);
        }
        broker.close();
    }

    static Run run(String stdin, boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("--redis", TestRedis.url()));
        argv.addAll(Arrays.asList(args));
        int exit = AdminMain.run(argv, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), null, terminal,
                Clock.systemUTC());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run admin(String... args) {
        return run("", false, args);
    }

    private List<String> enqueue(int count, String request) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(client.enqueue(queue, NewJob.of("{\"requestId\":\"" + request + "\",\"channel\":\"c" + i + "\"}")).id());
        }
        return ids;
    }

    @Test
    void listsAStatePageByPageWithHeadersInWordsAndFiltersByRequest() throws Exception {
        List<String> mine = enqueue(7, "req-a");
        enqueue(5, "req-b");

        Run table = admin("jobs", "list", "--queue", name, "--state", "pending", "--limit", "5");
        assertEquals(0, table.exit(), table.err());
        assertTrue(table.out().lines().findFirst().orElse("").matches("ID +PRIORITY +GROUP +ATTEMPTS +WAITING SINCE +PAYLOAD"), table.out());
        assertTrue(table.out().contains("more: add --cursor p:5"), table.out());

        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            List<String> args = new ArrayList<>(List.of("--json", "jobs", "list", "--queue", name, "--state", "pending", "--request", "req-a",
                    "--limit", "3"));
            if (cursor != null) {
                args.addAll(List.of("--cursor", cursor));
            }
            JsonNode page = admin(args.toArray(String[]::new)).json();
            page.get("jobs").forEach(j -> {
                assertEquals("pending", j.get("state").asText());
                assertEquals(0, j.get("attempts").asInt());
                assertEquals(5, j.get("maxAttempts").asInt());
                seen.add(j.get("id").asText());
            });
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 20);
        assertEquals(new HashSet<>(mine), seen, "every job of req-a, over the pages");

        Run badState = admin("jobs", "list", "--queue", name, "--state", "sleeping");
        assertEquals(2, badState.exit());
        assertTrue(badState.err().contains("unknown job state 'sleeping'"), badState.err());
        assertEquals(2, admin("jobs", "list", "--queue", name, "--state", "pending", "--cursor", "bogus").exit());
        assertEquals(3, admin("jobs", "list", "--queue", "no-such-queue-" + name, "--state", "pending").exit());
    }

    @Test
    void actsOnOneJobAndSaysWhyWhenTheActionDoesNotApply() throws Exception {
        String pending = enqueue(1, "r").get(0);
        String delayed = client.enqueue(queue, NewJob.of("{}").withDelay(Duration.ofHours(1))).id();

        JsonNode cancelled = admin("--json", "job", "cancel", pending, "--queue", name).json();
        assertEquals("cancelled", cancelled.get("outcome").asText());
        assertEquals(JobState.CANCELLED, broker.job(queue, pending).orElseThrow().state());

        Run again = admin("job", "cancel", pending, "--queue", name);
        assertEquals(1, again.exit());
        assertTrue(again.out().contains("is cancelled: cannot cancel it"), again.out());

        Run runNow = admin("job", "run-now", delayed, "--queue", name);
        assertEquals(0, runNow.exit(), runNow.err());
        assertTrue(runNow.out().contains("is pending"), runNow.out());
        assertEquals(JobState.PENDING, broker.job(queue, delayed).orElseThrow().state());

        assertEquals(0, admin("job", "delete", delayed, "--queue", name).exit());
        assertTrue(broker.job(queue, delayed).isEmpty());
        assertEquals(3, admin("job", "delete", delayed, "--queue", name).exit(), "gone: not found");
        assertEquals(2, admin("job", "cancel", "--queue", name).exit(), "an id is needed");
    }

    @Test
    void bulkActionsShowTheCountAskAndRefuseWithoutATerminalUnlessYes() throws Exception {
        enqueue(4, "req-x");
        enqueue(3, "req-y");
        String[] cancelX = {"jobs", "cancel", "--queue", name, "--state", "pending", "--request", "req-x"};

        Run scripted = run("yes\n", false, cancelX);
        assertEquals(1, scripted.exit());
        assertTrue(scripted.err().contains("would cancel 4 pending jobs") && scripted.err().contains("--yes"), scripted.err());
        assertEquals(7, broker.counts(queue).pending(), "nothing done without a terminal");

        Run declined = run("no\n", true, cancelX);
        assertEquals(1, declined.exit());
        assertTrue(declined.err().contains("cancel 4 pending jobs of " + queue + " with request req-x"), declined.err());
        assertEquals(7, broker.counts(queue).pending());

        Run confirmed = run("yes\n", true, cancelX);
        assertEquals(0, confirmed.exit(), confirmed.err());
        assertTrue(confirmed.out().contains("cancel: 4 of 4 jobs (4 cancelled)"), confirmed.out());
        assertEquals(3, broker.counts(queue).pending());

        List<String> args = new ArrayList<>(List.of("--json", "jobs", "delete", "--queue", name, "--state", "cancelled", "--yes"));
        JsonNode deleted = admin(args.toArray(String[]::new)).json();
        assertEquals(4, deleted.get("matched").asInt());
        assertEquals(4, deleted.get("outcomes").get("deleted").asInt());

        Run wrong = admin("jobs", "run-now", "--queue", name, "--state", "pending", "--yes");
        assertEquals(2, wrong.exit());
        assertTrue(wrong.err().contains("only delayed and retrying jobs can be run now"), wrong.err());
    }

    @Test
    void cancellingARunningJobStopsItOnARealWorkerAndItsHistoryShowsAsATable() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        workers.add(new Worker(Worker.Params.of(broker, List.of(new Subscription(queue, job -> {
            if (job.payload().contains("slow")) {
                started.countDown();
                Thread.sleep(60_000);
            }
            throw new IllegalStateException("upload refused by the store: " + "x".repeat(200));
        }, 2, new Backoff(Duration.ofMillis(20), 1.0, Duration.ofMillis(20), 0.0)))).withTimings(FAST)).start());
        String slow = client.enqueue(queue, NewJob.of("{\"slow\":true}")).id();
        assertTrue(started.await(10, TimeUnit.SECONDS));

        JsonNode running = admin("--json", "jobs", "list", "--queue", name, "--state", "running").json();
        assertEquals(1, running.get("jobs").size(), running.toString());
        assertEquals(slow, running.get("jobs").get(0).get("id").asText(), "--state running lists the running job");

        Run cancel = admin("job", "cancel", slow, "--queue", name);
        assertEquals(0, cancel.exit(), cancel.err());
        assertTrue(cancel.out().contains("its worker stops it at its next heartbeat"), cancel.out());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (broker.job(queue, slow).orElseThrow().state() != JobState.CANCELLED) {
            assertTrue(System.nanoTime() < deadline, "cancelled within 20 s");
            Thread.sleep(20);
        }

        String failing = client.enqueue(queue, NewJob.of("{}").withMaxAttempts(3)).id();
        while (broker.job(queue, failing).orElseThrow().state() != JobState.DEAD) {
            assertTrue(System.nanoTime() < deadline, "dead within 20 s");
            Thread.sleep(20);
        }
        String delayed = client.enqueue(queue, NewJob.of("{}").withDelay(Duration.ofHours(1))).id();
        for (String[] state : new String[][] {{"dead", failing}, {"delayed", delayed}}) {
            JsonNode listed = admin("--json", "jobs", "list", "--queue", name, "--state", state[0]).json();
            assertEquals(List.of(state[1]), ids(listed), "--state " + state[0]);
        }
        assertEquals(List.of(failing), ids(admin("--json", "jobs", "list", "--queue", name, "--state", "dead", "--error", "upload refused").json()),
                "--error filters by the error's text");
        assertEquals(List.of(), ids(admin("--json", "jobs", "list", "--queue", name, "--state", "dead", "--error", "no such error").json()));
        Run shown = admin("job", failing, "--queue", name);
        assertEquals(0, shown.exit(), shown.err());
        assertTrue(shown.out().contains("error history (3):"), shown.out());
        List<String> lines = shown.out().lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("ATTEMPT")).findFirst().orElseThrow());
        assertTrue(lines.get(header).matches("ATTEMPT +AT +WORKER +ERROR"), lines.get(header));
        for (int attempt = 1; attempt <= 3; attempt++) {
            String row = lines.get(header + attempt);
            assertTrue(row.startsWith(attempt + " "), row);
            assertTrue(row.endsWith("…") && row.contains("IllegalStateException: upload refused"), "long errors are cut: " + row);
        }
        JsonNode json = admin("--json", "job", failing, "--queue", name).json();
        assertEquals(3, json.get("errors").size());
        assertTrue(json.get("lastError").asText().endsWith("x".repeat(200)), "--json keeps the whole error");

        Run cancelledShown = admin("job", "show", slow, "--queue", name);
        assertTrue(cancelledShown.out().contains("state: cancelled"), cancelledShown.out());
        assertTrue(cancelledShown.out().contains("cancelled by an admin"), cancelledShown.out());
        assertEquals(0, broker.counts(queue).retry(), "the cancelled job is never retried");
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("jobs").forEach(j -> ids.add(j.get("id").asText()));
        return ids;
    }
}

package dev.packline.queue.control;

import dev.packline.queue.Job;
import dev.packline.queue.JobError;
import dev.packline.queue.JobRecord;
import dev.packline.queue.JobState;
import dev.packline.queue.NewJob;
import dev.packline.queue.Priority;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestClock;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listing jobs by state with cursors and filters, on a real Redis. */
class JobBrowserTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private TestClock clock;
    private RedisQueueBroker broker;
    private QueueClient client;
    private JobBrowser browser;
    private QueueVersion queue;

    @BeforeEach
    void setUp() {
        clock = new TestClock();
        broker = TestRedis.broker(clock);
        client = new QueueClient(broker);
        browser = new JobBrowser(broker);
        queue = new QueueInspector(broker, clock).ensureQueue(TestRedis.uniqueQueue("browse"));
    }

    @AfterEach
    void tearDown() {
        broker.obliterate(queue, true);
        broker.close();
    }

    /** Every page of a listing, following cursors to the end. */
    private List<List<JobRecord>> pages(JobState state, JobFilter filter, int limit) {
        List<List<JobRecord>> pages = new ArrayList<>();
        String cursor = null;
        do {
            JobPage page = browser.list(queue, state, filter, cursor, limit);
            pages.add(page.jobs());
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null && pages.size() < 100);
        return pages;
    }

    @Test
    void pagesThroughPendingJobsOfEveryKindOldestFirstWithoutRepeats() {
        List<String> plain = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            plain.add(client.enqueue(queue, NewJob.of("{\"i\":" + i + "}")).id());
        }
        String urgent = client.enqueue(queue, NewJob.of("{}").withPriority(Priority.URGENT)).id();
        String grouped = client.enqueue(queue, NewJob.of("{}").withGroup("pub-a")).id();

        List<List<JobRecord>> pages = pages(JobState.PENDING, JobFilter.ANY, 100);
        assertEquals(5, pages.size(), "452 jobs in pages of 100");
        List<String> seen = pages.stream().flatMap(List::stream).map(JobRecord::id).toList();
        assertEquals(452, seen.size());
        assertEquals(452, new HashSet<>(seen).size(), "no job twice");
        assertEquals(plain, seen.subList(0, 450), "the plain list oldest first");
        assertTrue(seen.containsAll(List.of(urgent, grouped)));
        assertTrue(seen.stream().allMatch(id -> !id.isBlank()), "wake markers are not jobs");
    }

    @Test
    void filtersByAPayloadFieldAcrossPagesAndFindsOneJobById() {
        Set<String> wanted = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String request = i % 30 == 0 ? "req-42" : "other-" + i;
            String id = client.enqueue(queue, NewJob.of("{\"requestId\":\"" + request + "\",\"channel\":\"c" + i + "\"}")).id();
            if (request.equals("req-42")) {
                wanted.add(id);
            }
        }
        List<String> found = pages(JobState.PENDING, JobFilter.payloadField("requestId", "req-42"), 4).stream()
                .flatMap(List::stream).map(JobRecord::id).toList();
        assertEquals(wanted, new HashSet<>(found));
        assertEquals(wanted.size(), found.size());
        assertEquals(10, browser.count(queue, JobState.PENDING, JobFilter.payloadField("requestId", "req-42")));
        assertEquals(300, browser.count(queue, JobState.PENDING, JobFilter.ANY));

        String one = wanted.iterator().next();
        Optional<JobRecord> record = browser.find(queue, one);
        assertTrue(record.isPresent());
        assertTrue(record.get().payload().contains("req-42"));
        assertTrue(browser.find(queue, "nope").isEmpty());
    }

    @Test
    void listsEachStateFromItsOwnPlaceAndShowsTheErrorHistory() {
        client.enqueue(queue, NewJob.of("{}").withDelay(Duration.ofMinutes(3)));
        String failing = client.enqueue(queue, NewJob.of("{\"x\":1}").withMaxAttempts(3)).id();
        for (int attempt = 1; attempt <= 2; attempt++) {
            Job job = broker.fetch(queue, "w" + attempt, 1, null, LEASE).jobs().get(0);
            broker.fail(queue, "w" + attempt, new QueueBroker.Failure(job, "failure " + attempt, clock.millis(), false));
            clock.advance(Duration.ofSeconds(1)); // the retry is due: the next fetch promotes it
        }
        Job last = broker.fetch(queue, "w3", 1, null, LEASE).jobs().get(0);
        broker.fail(queue, "w3", new QueueBroker.Failure(last, "failure 3", clock.millis(), false));
        client.enqueue(queue, NewJob.of("{}"));
        broker.fetch(queue, "w4", 1, null, LEASE);

        record Case(JobState state, int count) {
        }
        for (Case c : List.of(new Case(JobState.DELAYED, 1), new Case(JobState.DEAD, 1), new Case(JobState.ACTIVE, 1),
                new Case(JobState.PENDING, 0), new Case(JobState.RETRY, 0), new Case(JobState.DONE, 0))) {
            JobPage page = browser.list(queue, c.state(), JobFilter.ANY, null, 50);
            assertEquals(c.count(), page.jobs().size(), c.toString());
            assertTrue(page.nextCursor().isEmpty(), c.toString());
            page.jobs().forEach(j -> assertEquals(c.state(), j.state()));
        }
        JobRecord dead = browser.list(queue, JobState.DEAD, JobFilter.errorContains("failure 2"), null, 10).jobs().get(0);
        assertEquals(failing, dead.id());
        List<JobError> history = dead.errorHistory();
        assertEquals(List.of("failure 1", "failure 2", "failure 3"), history.stream().map(JobError::error).toList());
        assertEquals(List.of(1, 2, 3), history.stream().map(JobError::attempt).toList());
        assertEquals(List.of("w1", "w2", "w3"), history.stream().map(JobError::worker).toList());
    }

    @Test
    void refusesABadCursorAndABadLimitNamingTheProblem() {
        IllegalArgumentException cursor = assertThrows(IllegalArgumentException.class,
                () -> browser.list(queue, JobState.PENDING, JobFilter.ANY, "page-2", 10));
        assertTrue(cursor.getMessage().contains("'page-2'"), cursor.getMessage());
        IllegalArgumentException limit = assertThrows(IllegalArgumentException.class,
                () -> browser.list(queue, JobState.PENDING, JobFilter.ANY, null, 0));
        assertTrue(limit.getMessage().contains("1 to 1000"), limit.getMessage());
    }
}

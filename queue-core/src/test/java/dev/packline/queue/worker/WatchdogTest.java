package dev.packline.queue.worker;

import dev.packline.queue.NewJob;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watchdog restarts fetch loops that hear nothing from Redis; a loop whose running jobs fill its
 * concurrency waits for a slot, not for Redis, and is left alone however long the jobs take (a
 * diff of large APKs at concurrency 1 used to be called a Redis stall every stallAfter, with an
 * error log and a stall count each time). A real broker on a real Redis.
 */
class WatchdogTest {
    /** Short blocking reads, so stallAfter (3 x maxBlock at least) is short too. */
    private static final WorkerTimings SHORT_STALL = new WorkerTimings(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMillis(200),
            Duration.ofSeconds(1), WorkerTimings.DEFAULT.janitorInterval(), Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(2),
            WorkerTimings.DEFAULT.pausedPoll(), WorkerTimings.DEFAULT.fetchErrorBackoff(), WorkerTimings.DEFAULT.fetchErrorBackoffMax());

    private RedisQueueBroker broker;
    private QueueVersion queue;
    private Worker worker;
    private final List<Duration> stalls = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(Clock.systemUTC());
        queue = new QueueInspector(broker, Clock.systemUTC()).ensureQueue(TestRedis.uniqueQueue("watchdog"));
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        broker.obliterate(queue, true);
        broker.close();
    }

    @Test
    void aLoopWaitingForItsOnlySlotWhileALongJobRunsIsNotAStall() throws Exception {
        Set<String> done = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 2; i++) {
            new QueueClient(broker).enqueue(queue.name(), NewJob.of("{}").withId("long-" + i));
        }
        WorkerEvents events = new WorkerEvents() {
            @Override
            public void fetchStalled(QueueVersion q, Duration silentFor) {
                stalls.add(silentFor);
            }
        };
        List<String> reportedStopped = new CopyOnWriteArrayList<>();
        worker = new Worker(Worker.Params.of(broker, List.of(new Subscription(queue, job -> {
            Thread.sleep(1500); // five times stallAfter
            reportedStopped.addAll(worker.stoppedFetchLoops());
            done.add(job.id());
        }, 1, WorkerTest.QUICK_RETRY))).withTimings(SHORT_STALL).withEvents(events)).start();

        WorkerTest.await("both jobs ran, one after the other", () -> done.size() == 2);
        assertEquals(List.of(), stalls, "the loop waited for its slot, never for Redis");
        assertEquals(List.of(), reportedStopped, "the liveness probe did not call a loop waiting for its slot stopped");
    }

    @Test
    void aLoopThatRedisNeverAnswersIsReportedStoppedForTheLivenessProbe() throws Exception {
        // the real broker, except that every fetch hangs: a half-open connection the watchdog's restarts cannot cure
        QueueBroker silent = (QueueBroker) Proxy.newProxyInstance(QueueBroker.class.getClassLoader(), new Class<?>[]{QueueBroker.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("fetch")) {
                        Thread.sleep(Long.MAX_VALUE);
                    }
                    try {
                        return method.invoke(broker, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        worker = new Worker(Worker.Params.of(silent, List.of(new Subscription(queue, job -> { }, 1, WorkerTest.QUICK_RETRY)))
                .withTimings(SHORT_STALL)).start();
        assertEquals(List.of(), worker.stoppedFetchLoops(), "live at start");

        // kept from the call that saw it: between the watchdog's restarts the loop answers to itself again
        // (it backs off, then waits on its slot), so a second call may find it live for a moment
        java.util.concurrent.atomic.AtomicReference<List<String>> stopped = new java.util.concurrent.atomic.AtomicReference<>(List.of());
        WorkerTest.await("the loop is reported stopped", () -> {
            stopped.set(worker.stoppedFetchLoops());
            return !stopped.get().isEmpty();
        });
        String reported = stopped.get().get(0);
        assertTrue(reported.startsWith(queue + ": "), reported);
    }
}

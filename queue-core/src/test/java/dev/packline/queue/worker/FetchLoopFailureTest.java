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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fetch loop hit by an {@code Error} goes on fetching, and one that ended anyway is started
 * again on a new thread by the watchdog: the real broker on a real Redis, with one failure
 * injected into its first fetch call.
 */
class FetchLoopFailureTest {
    private RedisQueueBroker real;
    private QueueVersion queue;
    private Worker worker;
    private final List<Long> fetchThreads = new CopyOnWriteArrayList<>();
    private final Map<String, Throwable> loopFailures = new ConcurrentHashMap<>();
    private final WorkerEvents events = new WorkerEvents() {
        @Override
        public void loopFailed(String component, Throwable error) {
            loopFailures.put(component, error);
        }
    };

    @BeforeEach
    void setUp() {
        real = TestRedis.broker(Clock.systemUTC());
        queue = new QueueInspector(real, Clock.systemUTC()).ensureQueue(TestRedis.uniqueQueue("loop-failure"));
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        real.obliterate(queue, true);
        real.close();
    }

    /** The real broker, except that its first fetch throws {@code injected}; records which thread (by id) each fetch ran on. */
    private QueueBroker failingOnFirstFetch(Error injected) {
        AtomicBoolean thrown = new AtomicBoolean();
        return (QueueBroker) Proxy.newProxyInstance(QueueBroker.class.getClassLoader(), new Class<?>[]{QueueBroker.class}, (proxy, method, args) -> {
            if (method.getName().equals("fetch")) {
                fetchThreads.add(Thread.currentThread().threadId()); // the id: a virtual thread's toString names its carrier, which changes
                if (thrown.compareAndSet(false, true)) {
                    throw injected;
                }
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private Set<String> runFiveJobs(QueueBroker broker) throws InterruptedException {
        Set<String> done = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 5; i++) {
            new QueueClient(real).enqueue(queue.name(), NewJob.of("{}").withId("job-" + i));
        }
        worker = new Worker(Worker.Params.of(broker, List.of(new Subscription(queue, job -> done.add(job.id()), 2, WorkerTest.QUICK_RETRY)))
                .withTimings(WorkerTest.FAST).withEvents(events)).start();
        WorkerTest.await("every job ran", () -> done.size() == 5);
        return done;
    }

    @Test
    void anErrorInAFetchIsCountedAsTheFetchersFailureAndTheLoopGoesOn() throws Exception {
        AssertionError injected = new AssertionError("injected into fetch");
        assertEquals(5, runFiveJobs(failingOnFirstFetch(injected)).size());

        assertEquals(injected, loopFailures.get("fetcher " + queue), "counted by component, not as a Redis error");
        assertEquals(1, fetchThreads.stream().distinct().count(), "the same thread fetched on: " + fetchThreads);
    }

    @Test
    void aFetchLoopThatEndedIsStartedAgainOnANewThreadByTheWatchdog() throws Exception {
        InternalError injected = new InternalError("injected into fetch: the kind of error a loop lets through");
        assertEquals(5, runFiveJobs(failingOnFirstFetch(injected)).size());

        assertInstanceOf(InternalError.class, loopFailures.get("fetcher " + queue));
        assertTrue(fetchThreads.size() >= 2, "fetched again after the error: " + fetchThreads);
        assertNotEquals(fetchThreads.get(0), fetchThreads.get(fetchThreads.size() - 1), "a new thread runs the loop");
        assertFalse(loopFailures.containsKey("watchdog"), "the watchdog itself did not fail");
    }
}

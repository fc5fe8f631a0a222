package dev.packline.queue;

import dev.packline.queue.redis.RedisQueueBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * First start on a queue that has no version: several processes (each its own broker and Redis
 * connection) starting at the same moment make exactly one version 1, current, and all of them
 * serve it; a queue that exists is left as it is.
 */
class FirstVersionTest {
    private static final int STARTERS = 6;
    private static final int ROUNDS = 25;

    private final List<RedisQueueBroker> brokers = new ArrayList<>();
    private final List<String> queues = new ArrayList<>();
    private final ExecutorService starters = Executors.newFixedThreadPool(STARTERS);

    @AfterEach
    void tearDown() {
        starters.shutdownNow();
        RedisQueueBroker cleaner = TestRedis.broker(Clock.systemUTC());
        for (String name : queues) {
            cleaner.versions(name).forEach(v -> cleaner.obliterate(v, true));
        }
        cleaner.close();
        brokers.forEach(RedisQueueBroker::close);
    }

    private String newQueue() {
        String name = TestRedis.uniqueQueue("first-start");
        queues.add(name);
        return name;
    }

    @Test
    void processesStartingTogetherOnAQueueWithNoVersionMakeExactlyOneVersionOne() throws Exception {
        for (int i = 0; i < STARTERS; i++) {
            brokers.add(TestRedis.broker(Clock.systemUTC()));
        }
        for (int round = 0; round < ROUNDS; round++) {
            String name = newQueue();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<FirstVersion>> running = new ArrayList<>();
            for (RedisQueueBroker broker : brokers) {
                QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
                running.add(starters.submit(() -> {
                    go.await();
                    return inspector.ensureFirstVersion(name);
                }));
            }
            go.countDown();
            int created = 0;
            for (Future<FirstVersion> f : running) {
                FirstVersion first = f.get();
                assertEquals(QueueVersion.of(name, 1), first.version(), "round " + round + ": every starter serves version 1");
                created += first.outcome() == FirstVersion.Outcome.CREATED ? 1 : 0;
            }
            assertEquals(1, created, "round " + round + ": exactly one starter created the version");
            assertEquals(List.of(QueueVersion.of(name, 1)), brokers.get(0).versions(name), "round " + round + ": one version, no stray version 2");
            assertEquals(QueueVersion.of(name, 1), brokers.get(0).currentVersion(name).orElseThrow());
            assertEquals(VersionState.ACTIVE, brokers.get(0).counts(QueueVersion.of(name, 1)).state());
        }
    }

    @Test
    void aQueueThatExistsIsLeftAsItIs() {
        RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC());
        brokers.add(broker);
        QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
        String name = newQueue();
        inspector.ensureQueue(name);
        QueueVersion v2 = inspector.newVersion(name);
        inspector.setCurrent(v2);

        FirstVersion again = inspector.ensureFirstVersion(name);
        assertEquals(new FirstVersion(v2, FirstVersion.Outcome.EXISTED), again);
        assertEquals(new FirstVersion(v2, FirstVersion.Outcome.EXISTED), broker.createFirstVersion(name),
                "the broker's own call never makes another version of an existing queue");
        assertEquals(2, broker.versions(name).size());
    }

    @Test
    void aQueueWithVersionsButNoneCurrentIsRefusedWithWhatToDo() {
        RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC());
        brokers.add(broker);
        QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
        String name = newQueue();
        QueueVersion v1 = inspector.ensureQueue(name);
        QueueVersion v2 = inspector.newVersion(name);
        // obliterating the current version leaves the queue with a version and no current one
        broker.changeState(v1, QueueBroker.VersionChange.DRAIN, false);
        broker.obliterate(v1, true);

        QueueStateException refused = assertThrows(QueueStateException.class, () -> inspector.ensureFirstVersion(name));
        assertEquals("queue '" + name + "' has versions but none is current; set one with version set-current", refused.getMessage());
        assertEquals(List.of(v2), broker.versions(name));
    }
}

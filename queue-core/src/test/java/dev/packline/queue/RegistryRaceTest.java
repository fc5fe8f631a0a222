package dev.packline.queue;

import dev.packline.queue.QueueBroker.VersionChange;
import dev.packline.queue.redis.RedisQueueBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admins changing the same queue's registry at the same moment, many rounds each: whatever the
 * interleaving, the registry ends as some serial order of their changes would leave it.
 */
class RegistryRaceTest {
    private static final int ROUNDS = 60;

    private RedisQueueBroker broker;
    private final List<String> queues = new ArrayList<>();
    private final ExecutorService admins = Executors.newFixedThreadPool(2);

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        admins.shutdownNow();
        for (String name : queues) {
            broker.versions(name).forEach(v -> broker.obliterate(v, true));
        }
        broker.close();
    }

    private String newQueue() {
        String name = TestRedis.uniqueQueue("registry-race");
        queues.add(name);
        return name;
    }

    /** Runs both at the same moment and returns their results (a refusal as the exception). */
    private List<Object> atOnce(Callable<Object> first, Callable<Object> second) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> running = new ArrayList<>();
        for (Callable<Object> admin : List.of(first, second)) {
            running.add(admins.submit(() -> {
                go.await();
                try {
                    return admin.call();
                } catch (QueueStateException refused) {
                    return refused;
                }
            }));
        }
        go.countDown();
        List<Object> results = new ArrayList<>();
        for (Future<Object> f : running) {
            results.add(f.get());
        }
        return results;
    }

    @Test
    void twoAdminsCreatingAVersionAndMakingItCurrentAtOnceEachGetTheirOwnAndOneOfThemIsCurrent() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String name = newQueue();
            QueueVersion first = broker.createVersion(name);
            Callable<Object> admin = () -> {
                QueueVersion mine = broker.createVersion(name);
                broker.setCurrentVersion(mine);
                return mine;
            };
            List<Object> made = atOnce(admin, admin);

            assertNotEquals(made.get(0), made.get(1), "two versions, not one twice");
            assertEquals(Set.of(2, 3), Set.of(((QueueVersion) made.get(0)).version(), ((QueueVersion) made.get(1)).version()));
            assertEquals(List.of(first, new QueueVersion(name, 2), new QueueVersion(name, 3)), broker.versions(name));
            QueueVersion current = broker.currentVersion(name).orElseThrow();
            assertTrue(made.contains(current), "the current version is one the admins made: " + current);
            assertEquals(VersionState.ACTIVE, broker.counts(current).state());
            assertTrue(broker.queueNames().contains(name));
        }
    }

    @Test
    void forgettingTheOldCurrentVersionNeverUndoesASwitchMadeAtTheSameTime() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String name = newQueue();
            QueueVersion old = broker.createVersion(name);
            QueueVersion next = broker.createVersion(name);
            // whichever goes first, the queue ends on the new version: it was switched to, and only the old one is forgotten
            atOnce(() -> broker.obliterate(old, true), () -> {
                broker.setCurrentVersion(next);
                return next;
            });
            assertEquals(Optional.of(next), broker.currentVersion(name), "round " + round);
            assertEquals(List.of(next), broker.versions(name));
        }
    }

    @Test
    void aVersionObliteratedWhileItIsMadeCurrentIsNeverLeftCurrent() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String name = newQueue();
            broker.createVersion(name);
            QueueVersion doomed = broker.createVersion(name);
            List<Object> results = atOnce(() -> {
                broker.setCurrentVersion(doomed);
                return doomed;
            }, () -> {
                broker.changeState(doomed, VersionChange.DRAIN, false);
                return broker.obliterate(doomed, true);
            });
            // switch then obliterate: the pointer goes with the version; obliterate first: the switch is refused
            assertTrue(broker.currentVersion(name).filter(doomed::equals).isEmpty(), "round " + round + ": " + results);
            assertEquals(1, broker.versions(name).size());
        }
    }
}

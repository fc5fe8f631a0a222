package dev.packline.queue.worker;

import dev.packline.queue.Enqueued;
import dev.packline.queue.GroupSettings;
import dev.packline.queue.Job;
import dev.packline.queue.JobRecord;
import dev.packline.queue.JobState;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.Keys;
import dev.packline.queue.redis.RedisQueueBroker;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A worker JVM killed with SIGKILL in the middle of a job: the job is redelivered to another worker and completed. */
class CrashTest {

    static String markerKey(QueueVersion queue) {
        return "test:crash-marker:" + queue.label();
    }

    @Test
    void aJobOfAWorkerKilledMidJobIsRedeliveredAndCompletedWithTheAttemptCounted() throws Exception {
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC()); UnifiedJedis redis = TestRedis.client()) {
            QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
            QueueVersion queue = inspector.ensureQueue(TestRedis.uniqueQueue("crash"));
            Enqueued job = new QueueClient(broker).enqueue(queue.name(), NewJob.of("{\"channel\":\"huawei\"}"));

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashWorkerMain.class.getName(),
                    TestRedis.url(), queue.name(), Integer.toString(queue.version()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                WorkerTest.await("the child worker started the job", () -> redis.get(markerKey(queue)) != null);
                assertEquals(job.id() + "/1", redis.get(markerKey(queue)));
                assertEquals(1, inspector.counts(queue).active());
            } finally {
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no release
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            }
            assertEquals(137, child.exitValue(), "killed by SIGKILL");

            List<Job> deliveries = new CopyOnWriteArrayList<>();
            try (Worker ignored = new Worker(Worker.Params.of(broker, List.of(Subscription.of(queue, 1, deliveries::add)))
                    .withTimings(WorkerTest.FAST)).start()) {
                WorkerTest.await("the job is done", () -> inspector.job(queue, job.id()).map(r -> r.state() == JobState.DONE).orElse(false));
            }

            assertEquals(1, deliveries.size());
            assertEquals(job.id(), deliveries.get(0).id());
            assertEquals(2, deliveries.get(0).attempt(), "the killed attempt is counted");
            JobRecord record = inspector.job(queue, job.id()).orElseThrow();
            assertTrue(record.lastError().contains("stopped heartbeating"), record.lastError());
            assertEquals(0, inspector.counts(queue).unfinished());
            assertEquals(List.of(), TestRedis.keys(redis, Keys.PREFIX + "{" + queue.name() + ":1}:active:*"), "no backup list is left");
            redis.del(markerKey(queue));
            broker.obliterate(queue, true);
        }
    }

    @Test
    void aCapHeldByAKilledWorkerHoldsUntilRecoveryWhileOtherGroupsRunAndIsFreedByIt() throws Exception {
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC()); UnifiedJedis redis = TestRedis.client()) {
            QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
            QueueVersion queue = inspector.ensureQueue(TestRedis.uniqueQueue("crash-cap"));
            QueueClient client = new QueueClient(broker);
            broker.setGroupSettings(queue, "pubA", new GroupSettings(1, OptionalInt.of(1)));
            Enqueued held = client.enqueue(queue, NewJob.of("{\"p\":\"A\"}").withGroup("pubA"));

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashWorkerMain.class.getName(),
                    TestRedis.url(), queue.name(), Integer.toString(queue.version()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                WorkerTest.await("the child worker started A's job", () -> redis.get(markerKey(queue)) != null);
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            }
            List<NewJob> more = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                more.add(NewJob.of("{\"p\":\"A\"}").withGroup("pubA"));
                more.add(NewJob.of("{\"p\":\"B\"}").withGroup("pubB"));
            }
            client.enqueueBatch(queue, more);

            AtomicInteger runningA = new AtomicInteger();
            AtomicInteger mostA = new AtomicInteger();
            List<String> order = new CopyOnWriteArrayList<>();
            JobHandler handler = job -> {
                boolean a = job.payload().contains("\"A\"");
                if (a) {
                    mostA.accumulateAndGet(runningA.incrementAndGet(), Math::max);
                }
                Thread.sleep(50);
                order.add(job.id().equals(held.id()) ? "held" : a ? "A" : "B");
                if (a) {
                    runningA.decrementAndGet();
                }
            };
            try (Worker ignored = new Worker(Worker.Params.of(broker, List.of(Subscription.of(queue, 4, handler)))
                    .withTimings(WorkerTest.FAST)).start()) {
                WorkerTest.await("every job is done", () -> order.size() == 7);
            }

            assertEquals(1, mostA.get(), "A never ran more than its cap, on any worker: " + order);
            assertEquals(List.of("B", "B", "B"), order.subList(0, 3), "B ran while A's slot was held by the killed worker: " + order);
            assertEquals(2, inspector.job(queue, held.id()).orElseThrow().attempts(), "the killed attempt is counted");
            assertTrue(broker.groups(queue).stream().allMatch(g -> g.running() == 0 && g.parked() == 0), broker.groups(queue).toString());
            redis.del(markerKey(queue));
            broker.obliterate(queue, true);
        }
    }
}

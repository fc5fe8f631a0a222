package dev.packline.queue;

import dev.packline.queue.QueueBroker.Failure;
import dev.packline.queue.control.JobActions;
import dev.packline.queue.control.JobBrowser;
import dev.packline.queue.control.JobFilter;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.queue.worker.Subscription;
import dev.packline.queue.worker.Worker;
import dev.packline.redis.RedisConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole queue on a real three-master Redis Cluster: every script stays in one slot, so none fails with CROSSSLOT. */
class RedisClusterTest {
    private static TestRedisCluster cluster;

    @BeforeAll
    static void startCluster() throws InterruptedException {
        cluster = new TestRedisCluster();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void queuesSpreadOverTheNodesWorkEndToEnd() throws Exception {
        TestClock clock = new TestClock();
        try (RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(cluster.url()), cluster.url(), clock, Retention.DEFAULT, true)) {
            QueueInspector inspector = new QueueInspector(broker, clock);
            QueueClient client = new QueueClient(broker);
            List<QueueVersion> queues = new ArrayList<>();
            Set<Integer> nodesUsed = new HashSet<>();
            for (String name : List.of("package", "upload", "diff", "notify", "alpha", "beta")) {
                QueueVersion q = inspector.ensureQueue(name);
                queues.add(q);
                nodesUsed.add(JedisClusterCRC16.getSlot("{" + q.name() + ":" + q.version() + "}") * 3 / 16384);
            }
            assertTrue(nodesUsed.size() > 1, "the test queues land on more than one master");

            // every operation, on every queue
            for (QueueVersion q : queues) {
                // plain jobs, and jobs of groups at every level, one group capped: every key fair queueing adds
                broker.setGroupSettings(q, "g1", new GroupSettings(2, OptionalInt.of(3)));
                List<NewJob> jobs = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    NewJob job = NewJob.of("{\"n\":" + i + "}").withMaxAttempts(1);
                    jobs.add(i % 2 == 0 ? job : job.withGroup("g" + i % 3).withPriority(Priority.values()[i % 3]));
                }
                client.enqueueBatch(q.name(), jobs);
                client.enqueue(q.name(), NewJob.of("{}").withDelay(Duration.ofMillis(1)).withGroup("g1").withPriority(Priority.BULK));
                Job failing = broker.fetch(q, "w-dead", 1, null, Duration.ofSeconds(5)).jobs().get(0);
                broker.fail(q, "w-dead", new Failure(failing, "bad", clock.millis(), true));
                broker.fetch(q, "w-crashed", 1, null, Duration.ofSeconds(5));
                clock.advance(Duration.ofSeconds(6));
                assertEquals(1, broker.recover(q, Duration.ofSeconds(30)).deadLettered(), "crashed worker's last attempt");
                assertEquals(1, inspector.requeueDead(q, List.of(failing.id())));
                inspector.pause(q);
                inspector.resume(q);
                broker.trim(q);
                assertEquals(2, broker.deadLetterEvents(q, "0", 10).size());
                assertEquals(19, inspector.counts(q).pending(), "18 never fetched and the requeued one");
                assertEquals(1, inspector.counts(q).delayed(), "promoted by the next fetch");
            }

            Worker worker = new Worker(Worker.Params.of(broker, queues.stream().map(q -> Subscription.of(q, 4, job -> { })).toList())
                    .withClock(clock)).start();
            try {
                for (QueueVersion q : queues) {
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (inspector.counts(q).unfinished() > 0 && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertEquals(0, inspector.counts(q).unfinished(), q + " finished");
                    assertEquals(20, inspector.counts(q).counter("completed"));
                    assertTrue(broker.groups(q).stream().allMatch(g -> g.running() == 0 && g.parked() == 0),
                            q + ": no group holds a slot or a parked job once all ended: " + broker.groups(q));
                }
            } finally {
                worker.close();
            }

            for (QueueVersion q : queues) {
                inspector.setCurrent(inspector.newVersion(q.name()));
                inspector.drain(q, Duration.ofSeconds(5), Duration.ofMillis(10), c -> { });
                assertTrue(inspector.obliterate(q, false) > 0);
            }
        }
        for (int port : cluster.ports()) {
            try (Jedis node = new Jedis("127.0.0.1", port)) {
                assertTrue(node.keys("pl:{*:1}*").isEmpty(), "obliterated versions leave no key on node " + port);
            }
        }
    }
    @Test
    void adminJobActionsAndWorkerControlStayInOneSlotEach() {
        TestClock clock = new TestClock();
        try (RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(cluster.url()), cluster.url(), clock, Retention.DEFAULT, true)) {
            QueueInspector inspector = new QueueInspector(broker, clock);
            QueueClient client = new QueueClient(broker);
            JobActions actions = new JobActions(broker);
            for (String name : List.of("gamma", "delta", "epsilon")) {
                QueueVersion q = inspector.ensureQueue(name);
                String running = client.enqueue(q, NewJob.of("{\"requestId\":\"r1\"}")).id();
                broker.fetch(q, "w1", 1, null, Duration.ofSeconds(30));
                String waiting = client.enqueue(q, NewJob.of("{\"requestId\":\"r1\"}").withGroup("g").withPriority(Priority.URGENT)).id();
                String delayed = client.enqueue(q, NewJob.of("{}").withDelay(Duration.ofHours(1))).id();
                assertEquals(1, new JobBrowser(broker).list(q, JobState.PENDING, JobFilter.payloadField("requestId", "r1"), null, 10).jobs().size());
                assertEquals(JobActionOutcome.CANCEL_REQUESTED, actions.cancel(q, running).outcome());
                assertEquals(List.of(running), broker.cancelsRequested(q, "w1"));
                Job job = broker.job(q, running).map(r -> new Job(q, running, "{}", 1, 5, Duration.ofMinutes(1),
                        String.valueOf(r.record().get("deliveries")), 0)).orElseThrow();
                assertEquals(QueueBroker.FailOutcome.CANCELLED, broker.fail(q, "w1", new Failure(job, "stopped", clock.millis(), false)));
                assertEquals(JobActionOutcome.CANCELLED, actions.cancel(q, waiting).outcome());
                assertEquals(JobActionOutcome.MADE_PENDING, actions.runNow(q, delayed).outcome());
                assertEquals(JobActionOutcome.DELETED, actions.delete(q, delayed).outcome());
                assertEquals(2, actions.bulk(q, JobState.CANCELLED, JobFilter.ANY, JobAction.DELETE).applied());
                broker.sendWorkerCommand("w-" + name, WorkerCommand.RECYCLE, Duration.ofMinutes(1));
                assertEquals(Optional.of(WorkerCommand.RECYCLE), broker.takeWorkerCommand("w-" + name));
                inspector.setCurrent(inspector.newVersion(name));
                inspector.markDraining(q);
                broker.changeState(q, QueueBroker.VersionChange.RETIRE, true);
                broker.obliterate(q, true);
            }
        }
    }
}

package dev.packline.queue.worker;

import dev.packline.queue.JobActionOutcome;
import dev.packline.queue.JobState;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.WorkerCommand;
import dev.packline.queue.control.JobActions;
import dev.packline.queue.control.WorkerDirectory;
import dev.packline.queue.control.WorkerInfo;
import dev.packline.queue.redis.RedisQueueBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real worker obeys what admins ask at its heartbeat: cancel a running job, recycle, stop. */
class AdminRequestsTest {
    private RedisQueueBroker broker;
    private QueueClient client;
    private QueueVersion queue;
    private final List<Worker> workers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(Clock.systemUTC());
        client = new QueueClient(broker);
        queue = new QueueInspector(broker, Clock.systemUTC()).ensureQueue(TestRedis.uniqueQueue("asked"));
    }

    @AfterEach
    void tearDown() {
        workers.forEach(Worker::close);
        broker.obliterate(queue, true);
        broker.close();
    }

    private Worker start(JobHandler handler, long maxJobs) {
        Worker worker = new Worker(Worker.Params.of(broker, List.of(new Subscription(queue, handler, 2, WorkerTest.QUICK_RETRY)))
                .withTimings(WorkerTest.FAST).withMaxJobs(maxJobs)).start();
        workers.add(worker);
        return worker;
    }

    @Test
    void aCancelledRunningJobIsInterruptedAtTheNextHeartbeatAndNeverRetried() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicInteger runs = new AtomicInteger();
        start(job -> {
            runs.incrementAndGet();
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        }, 0);
        String id = client.enqueue(queue, NewJob.of("{}").withMaxAttempts(5)).id();
        assertTrue(started.await(10, TimeUnit.SECONDS));

        assertEquals(JobActionOutcome.CANCEL_REQUESTED, new JobActions(broker).cancel(queue, id).outcome());
        WorkerTest.await("the job ends cancelled", () -> broker.job(queue, id).map(r -> r.state() == JobState.CANCELLED).orElse(false));
        assertTrue(interrupted.get(), "the handler was interrupted");
        Thread.sleep(3 * WorkerTest.FAST.heartbeatInterval().toMillis() + 200); // time for a wrong retry to show
        assertEquals(1, runs.get(), "never run again");
        assertEquals(JobState.CANCELLED, broker.job(queue, id).orElseThrow().state());
        assertEquals(0, broker.counts(queue).retry());
    }

    @Test
    void aWorkerListsItselfAndRecyclesWhenAsked() throws Exception {
        Worker worker = start(job -> { }, 50);
        for (int i = 0; i < 3; i++) {
            client.enqueue(queue, NewJob.of("{}"));
        }
        WorkerDirectory directory = new WorkerDirectory(broker);
        WorkerTest.await("the worker shows its 3 jobs", () -> directory.find(worker.id()).map(w -> w.jobsDone() == 3).orElse(false));
        WorkerInfo info = directory.find(worker.id()).orElseThrow();
        assertEquals(List.of(queue.label()), info.versions());
        assertEquals(47, info.jobsLeftBeforeRecycle().orElseThrow(), "50 allowed, 3 started");
        assertEquals(ProcessHandle.current().pid(), info.pid());
        assertTrue(info.lastHeartbeatMillis() > 0 && !info.host().isEmpty());

        assertEquals(WorkerDirectory.AskOutcome.ASKED, directory.ask(worker.id(), WorkerCommand.RECYCLE));
        assertEquals(Worker.StopReason.RECYCLE, worker.fetchingStopped().get(10, TimeUnit.SECONDS));
        String late = client.enqueue(queue, NewJob.of("{}")).id();
        Thread.sleep(500);
        assertEquals(JobState.PENDING, broker.job(queue, late).orElseThrow().state(), "a recycling worker fetches nothing more");
    }

    @Test
    void aWorkerStopsWhenAskedAndUnknownWorkersAreNamedAsSuch() throws Exception {
        Worker worker = start(job -> { }, 0);
        WorkerDirectory directory = new WorkerDirectory(broker);
        assertTrue(directory.find(worker.id()).orElseThrow().jobsLeftBeforeRecycle().isEmpty(), "no job limit");
        assertEquals(WorkerDirectory.AskOutcome.NO_SUCH_WORKER, directory.ask("no-such-worker", WorkerCommand.STOP));
        assertEquals(WorkerDirectory.AskOutcome.ASKED, directory.ask(worker.id(), WorkerCommand.STOP));
        assertEquals(Worker.StopReason.STOPPED_BY_ADMIN, worker.fetchingStopped().get(10, TimeUnit.SECONDS));
        assertTrue(broker.takeWorkerCommand(worker.id()).isEmpty(), "the worker took the command");
    }
}

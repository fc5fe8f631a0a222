package dev.packline.worker.e2e;

import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Submitter;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.Keys;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.redis.RedisConnector;
import dev.packline.worker.ExitCode;
import dev.packline.worker.WorkerMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two worker processes ({@code WorkerMain}, as {@code bin/packline worker} runs it); one is killed
 * with SIGKILL in the middle of a request, and the request still ends with every channel done
 * exactly once in the store. A third process with a tiny job budget shows recycling.
 */
class WorkerCrashEndToEndTest {
    @TempDir
    Path temp;

    private Process startWorker(Path config, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(temp.resolve(name + ".log").toFile()).start();
    }

    @Test
    void aWorkerKilledMidRequestLosesNothingAndDuplicatesNothing() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        Path mother = PipelineFixture.mother(apks, "game-1.0.apk", 11);
        Path config = Files.writeString(temp.resolve("worker.yml"), PipelineFixture.yaml(TestRedis.url(), apks, temp, ""));
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC()); UnifiedJedis redis = RedisConnector.open(TestRedis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            RequestStore requests = new RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
            PackagingRequest request = PipelineFixture.request(mother, 50, List.of());
            List<Process> workers = new ArrayList<>(List.of(startWorker(config, "a"), startWorker(config, "b")));
            try {
                new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2)).submit(request);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (requests.status(request.id()).map(RequestStatus::ended).orElse(0) < 5 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                workers.get(0).destroyForcibly(); // SIGKILL, mid-request
                assertTrue(workers.get(0).waitFor(10, TimeUnit.SECONDS));
                assertEquals(137, workers.get(0).exitValue());
                assertTrue(requests.status(request.id()).orElseThrow().ended() < 50, "killed before the request finished");

                RequestStatus status = PipelineEndToEndTest.awaitFinished(requests, request.id(), 120);
                PipelineFixture.verifyOutputs(status, temp.resolve("store"));
                assertEquals(50L, status.counts().get("upload.done"), "each channel uploaded and counted once");
                QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
                long leftActive = 0;
                for (var stage : dev.packline.pipeline.Stage.values()) {
                    leftActive += inspector.counts(PipelineFixture.current(broker, stage)).active();
                }
                long deadlineIdle = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (leftActive > 0 && System.nanoTime() < deadlineIdle) {
                    Thread.sleep(50);
                    leftActive = 0;
                    for (var stage : dev.packline.pipeline.Stage.values()) {
                        leftActive += inspector.counts(PipelineFixture.current(broker, stage)).active();
                    }
                }
                assertEquals(0, leftActive, "no job left in any worker's backup");
            } finally {
                workers.forEach(Process::destroy); // SIGTERM: graceful stop
                for (Process p : workers) {
                    p.waitFor(20, TimeUnit.SECONDS);
                }
            }
            assertEquals(ExitCode.STOPPED.status(), workers.get(1).exitValue() == 143 ? 0 : workers.get(1).exitValue(),
                    "the survivor stops cleanly on SIGTERM: " + Files.readString(temp.resolve("b.log")).lines().reduce((a, b) -> b).orElse(""));
        }
    }

    @Test
    void theSupervisorRunsItsWorkersAndStopsThemAllOnSigterm() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        // no Redis in the file: --redis alone names it, for the supervisor and the workers it starts
        String yaml = PipelineFixture.yaml(TestRedis.url(), apks, temp, "").replaceFirst("(?m)^redis: \\{url: .*\\}$", "");
        assertFalse(yaml.contains(TestRedis.url()), yaml);
        Path config = Files.writeString(temp.resolve("worker.yml"), yaml);
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC())) {
            PipelineFixture.ensureStageQueues(broker);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process supervisor = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(),
                    "--supervise", "--processes", "2", "--config", config.toString(), "--redis", TestRedis.url())
                    .redirectErrorStream(true).redirectOutput(temp.resolve("supervisor.log").toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                List<Long> workerPids = List.of();
                while (System.nanoTime() < deadline) {
                    workerPids = supervisor.descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
                    long registered = broker.workerInfos().stream().filter(info -> info.contains("\"pid\":")).count();
                    if (workerPids.size() == 2 && registered >= 2) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertEquals(2, workerPids.size(), "two worker processes: " + Files.readString(temp.resolve("supervisor.log")));
                List<ProcessHandle> children = supervisor.descendants().toList();
                supervisor.destroy(); // SIGTERM to the supervisor only
                assertTrue(supervisor.waitFor(40, TimeUnit.SECONDS), "the supervisor stops");
                for (ProcessHandle child : children) {
                    assertTrue(child.onExit().get(10, TimeUnit.SECONDS) != null);
                    assertTrue(!child.isAlive(), "worker " + child.pid() + " stopped with its supervisor");
                }
            } finally {
                supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
                supervisor.destroyForcibly();
            }
        }
    }

    @Test
    void aWorkerExitsWithTheRecycleStatusAfterItsJobBudget() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        Path mother = PipelineFixture.mother(apks, "game-1.0.apk", 12);
        Path config = Files.writeString(temp.resolve("worker.yml"), PipelineFixture.yaml(TestRedis.url(), apks, temp, "")
                .replace("worker:\n", "worker:\n  maxJobsPerWorker: 3\n"));
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC()); UnifiedJedis redis = RedisConnector.open(TestRedis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            RequestStore requests = new RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
            PackagingRequest request = PipelineFixture.request(mother, 4, List.of());
            new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2)).submit(request);
            Process worker = startWorker(config, "recycling");
            assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "the worker exits by itself");
            assertEquals(ExitCode.RECYCLE.status(), worker.exitValue(), Files.readString(temp.resolve("recycling.log")));
            // its successor finishes the request
            Process next = startWorker(config, "next");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            try {
                while (true) {
                    assertTrue(System.nanoTime() < deadline, "request finished within 90 s: " + requests.status(request.id()).orElse(null));
                    RequestStatus status = requests.status(request.id()).orElseThrow();
                    if (status.finished()) {
                        assertEquals("done", status.state());
                        break;
                    }
                    if (!next.isAlive()) {
                        assertEquals(ExitCode.RECYCLE.status(), next.exitValue(), "a successor recycles too, it does not crash");
                        next = startWorker(config, "next-" + System.nanoTime());
                    }
                    Thread.sleep(50);
                }
            } finally {
                next.destroy();
                next.waitFor(20, TimeUnit.SECONDS);
            }
            assertTrue(Keys.PREFIX.startsWith("pl"));
        }
    }
}

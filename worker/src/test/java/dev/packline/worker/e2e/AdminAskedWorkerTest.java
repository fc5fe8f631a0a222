package dev.packline.worker.e2e;

import dev.packline.queue.WorkerCommand;
import dev.packline.queue.control.WorkerDirectory;
import dev.packline.queue.control.WorkerInfo;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.worker.ExitCode;
import dev.packline.worker.WorkerMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker process ({@code WorkerMain}, as {@code bin/packline worker} runs it) obeys an admin's
 * {@code worker recycle} and {@code worker stop}: it lists itself with its pid, takes the command
 * at its next heartbeat and exits with the status its supervisor acts on (3: restart, 0: stay down).
 */
class AdminAskedWorkerTest {
    @TempDir
    Path temp;

    private Process startWorker(Path config, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(temp.resolve(name + ".log").toFile()).start();
    }

    private static WorkerInfo awaitListed(WorkerDirectory directory, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Optional<WorkerInfo> mine = directory.live().stream().filter(w -> w.pid() == process.pid()).findFirst();
            if (mine.isPresent()) {
                return mine.get();
            }
            assertTrue(process.isAlive(), "the worker process died before it listed itself");
            Thread.sleep(100);
        }
        throw new AssertionError("worker process " + process.pid() + " never listed itself");
    }

    @Test
    void aWorkerProcessExitsForGoodWhenAskedToStopAndToBeRestartedWhenAskedToRecycle() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        // its own redis-server: on the suite's shared one, jobs other tests left on the stage queues ran at once,
        // and the worker no longer had all of its 1000 jobs left when it first listed itself
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             RedisQueueBroker broker = RedisQueueBroker.connect(redis.url(), Clock.systemUTC(), Retention.DEFAULT)) {
            Path config = Files.writeString(temp.resolve("worker.yml"), PipelineFixture.yaml(redis.url(), apks, temp, "")
                    .replace("worker:\n", "worker:\n  maxJobsPerWorker: 1000\n"));
            PipelineFixture.ensureStageQueues(broker);
            WorkerDirectory directory = new WorkerDirectory(broker);
            record Case(WorkerCommand command, ExitCode exit) {
            }
            for (Case c : new Case[]{new Case(WorkerCommand.STOP, ExitCode.STOPPED), new Case(WorkerCommand.RECYCLE, ExitCode.RECYCLE)}) {
                Process worker = startWorker(config, c.command().wireName());
                try {
                    WorkerInfo info = awaitListed(directory, worker);
                    assertEquals(1000, info.jobsLeftBeforeRecycle().orElseThrow(), "no job ran yet");
                    assertEquals(WorkerDirectory.AskOutcome.ASKED, directory.ask(info.id(), c.command()));
                    assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "the worker exits when asked to " + c.command().wireName());
                    assertEquals(c.exit().status(), worker.exitValue(), Files.readString(temp.resolve(c.command().wireName() + ".log")));
                } finally {
                    worker.destroy();
                    worker.waitFor(20, TimeUnit.SECONDS);
                }
            }
        }
    }
}

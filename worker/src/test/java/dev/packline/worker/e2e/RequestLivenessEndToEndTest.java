package dev.packline.worker.e2e;

import dev.packline.pipeline.Cancellation;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestState;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.Submitter;
import dev.packline.pipeline.job.PackageJob;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.queue.JobRecord;
import dev.packline.queue.JobState;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.redis.RedisConnector;
import dev.packline.settings.Settings;
import dev.packline.worker.WorkerApp;
import dev.packline.worker.WorkerConfig;
import dev.packline.worker.alarm.RecordingAlertChannel;
import dev.packline.worker.stage.PackagingTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package stage reads whether its request is still wanted as a named outcome
 * ({@link dev.packline.pipeline.RequestLiveness}): a cancelled request's channels end cancelled
 * without being built, and a job whose request does not exist is dead-lettered at once, naming it.
 */
class RequestLivenessEndToEndTest {
    @TempDir
    Path temp;

    @Test
    void aRequestCancelledBeforeItsJobsRunEndsCancelledAndBuildsNothing() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        PackagingRequest request = PipelineFixture.request(PipelineFixture.mother(apks, "game-1.0.apk", 21), 6, List.of());
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC()); UnifiedJedis redis = RedisConnector.open(TestRedis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            RequestStore requests = new RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
            new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2)).submit(request);
            assertEquals(new Cancellation(Cancellation.Kind.ACCEPTED, RequestState.QUEUED), requests.cancel(request.id()).orElseThrow());

            try (WorkerApp app = new WorkerApp(config(apks), PackagingTools.channelBuilder(), PackagingTools.patchMaker(),
                    new RecordingAlertChannel(), Clock.systemUTC()).start()) {
                RequestStatus status = PipelineEndToEndTest.awaitFinished(requests, request.id(), 120);
                assertEquals(RequestState.CANCELLED, status.requestState());
                assertEquals(6L, status.counts().get("package.cancelled"), status.counts().toString());
                assertEquals(null, status.counts().get("package.done"), "no channel was built");
            }
            assertEquals(new Cancellation(Cancellation.Kind.ALREADY_FINISHED, RequestState.CANCELLED),
                    requests.cancel(request.id()).orElseThrow(), "a second cancel finds it finished");
            assertEquals(List.of(), storedFiles(), "nothing was uploaded");
        }
    }

    @Test
    void aPackageJobWhoseRequestIsGoneIsDeadLetteredAtOnceNamingTheRequest() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        PackagingRequest request = PipelineFixture.request(PipelineFixture.mother(apks, "game-1.0.apk", 22), 1, List.of());
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC())) {
            PipelineFixture.ensureStageQueues(broker);
            QueueVersion packageQueue = PipelineFixture.current(broker, Stage.PACKAGE);
            // the request itself is never recorded: as when it expired after its retention
            new QueueClient(broker).enqueue(Stage.PACKAGE.queueName(), NewJob.of(StageJobs.write(PackageJob.of(request, 0)))
                    .withId("orphan").withMaxAttempts(5));
            try (WorkerApp app = new WorkerApp(config(apks), PackagingTools.channelBuilder(), PackagingTools.patchMaker(),
                    new RecordingAlertChannel(), Clock.systemUTC()).start()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (broker.job(packageQueue, "orphan").map(j -> j.state() != JobState.DEAD).orElse(true) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
            JobRecord dead = broker.job(packageQueue, "orphan").orElseThrow();
            assertEquals(JobState.DEAD, dead.state());
            assertEquals(1, dead.attempts(), "refused, not retried: the request will not come back");
            String error = String.valueOf(dead.record().get("lastError"));
            assertTrue(error.contains(request.id()) && error.contains("does not exist"), error);
            assertEquals(List.of(), storedFiles(), "nothing was built or uploaded for it");
        }
    }

    private List<Path> storedFiles() throws Exception {
        Path store = temp.resolve("store");
        if (Files.notExists(store)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private WorkerConfig config(Path apks) throws Exception {
        return WorkerConfig.read(Settings.parse("e2e.yml", PipelineFixture.yaml(TestRedis.url(), apks, temp, ""), Map.of()));
    }
}

package dev.packline.worker.e2e;

import dev.packline.packaging.Patcher;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Submitter;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.pipeline.Stage;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.JobState;
import dev.packline.queue.NewJob;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.settings.Settings;
import dev.packline.worker.WorkerApp;
import dev.packline.worker.WorkerConfig;
import dev.packline.notify.Alert;
import dev.packline.worker.alarm.RecordingAlertChannel;
import dev.packline.worker.stage.ChannelBuilder;
import dev.packline.worker.mother.Mother;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.worker.stage.PackagingTools;
import dev.packline.worker.stage.PatchMaker;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.redis.RedisConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A request of 50 channels through every stage on a real Redis, real signed APKs and the local store. */
class PipelineEndToEndTest {
    @TempDir
    Path temp;

    @Test
    void fiftyChannelsAndADiffGoThroughEveryStageAndEveryOutputVerifies() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        Path oldMother = PipelineFixture.mother(apks, "game-0.9.apk", 7);
        Path newMother = PipelineFixture.mother(apks, "game-1.0.apk", 8);
        WorkerConfig config = config(apks);
        RecordingAlertChannel channel = new RecordingAlertChannel();
        List<Alert> notifications = channel.alerts();
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC()); UnifiedJedis redis = RedisConnector.open(TestRedis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            RequestStore requests = new RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
            PackagingRequest request = PipelineFixture.request(newMother, 50, List.of(oldMother));
            try (WorkerApp app = new WorkerApp(config, PackagingTools.channelBuilder(), PackagingTools.patchMaker(), channel, Clock.systemUTC()).start()) {
                new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2)).submit(request);

                awaitFinished(requests, request.id(), 120);
                RequestStatus atFinish = requests.status(request.id()).orElseThrow();
                assertEquals(List.of("done"), atFinish.diffs().stream().map(d -> d.get("state")).toList(),
                        "a request finishes, and is notified, only once its patch exists");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (notifications.stream().noneMatch(a -> a.key().equals("request:" + request.id())) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.metricsPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("packline_jobs_finished_total{") && l.contains("outcome=\"completed\"")
                        && l.contains("queue=\"upload\"")), "metrics show the work:\n" + metrics.lines().filter(l -> l.startsWith("packline_jobs")).toList());
                assertTrue(metrics.contains("packline_channels_finished_total{outcome=\"done\"} 50.0"), "50 channels ended done:\n"
                        + metrics.lines().filter(l -> l.startsWith("packline_channels")).toList());
                assertTrue(metrics.contains("packline_requests_finished_total{state=\"done\"} 1.0"), "one request finished done:\n"
                        + metrics.lines().filter(l -> l.startsWith("packline_requests")).toList());
                assertTrue(metrics.contains("packline_channels_finished_total{outcome=\"dead\"} 0.0"), "the other outcomes show 0");
            }

            RequestStatus status = requests.status(request.id()).orElseThrow();
            PipelineFixture.verifyOutputs(status, temp.resolve("store"));
            assertEquals(50L, status.counts().get("package.done"));
            assertEquals(50L, status.counts().get("upload.done"));
            QueueInspector inspector = new QueueInspector(broker, Clock.systemUTC());
            Map<String, Object> upload = inspector.job(inspector.current(Stage.UPLOAD.queueName()).orElseThrow(),
                    Stage.uploadJobId(request.id(), 7)).orElseThrow().record();
            assertEquals("publisher-a", upload.get("group"), "an upload waits in its request's publisher group: " + upload);
            assertEquals("normal", upload.get("level"), "at its request's priority");
            List<Alert> summaries = notifications.stream().filter(a -> a.key().equals("request:" + request.id())).toList();
            assertEquals(1, summaries.size(), "exactly one notification");
            assertTrue(summaries.get(0).text().startsWith("50 of 50 channels done, 1 of 1 patch made"), summaries.get(0).text());

            assertEquals(1, status.diffs().size());
            Map<String, Object> diff = status.diffs().get(0);
            assertEquals("done", diff.get("state"), diff.toString());
            Path patched = temp.resolve("patched.apk");
            new Patcher(1L << 30).apply(oldMother, temp.resolve("store").resolve((String) diff.get("objectKey")), patched);
            assertEquals(PipelineFixture.sha256(newMother), PipelineFixture.sha256(patched), "the stored patch turns the old mother into the new");
            Map<?, ?> metadata = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                    temp.resolve("store").resolve(diff.get("objectKey") + ".json").toFile(), Map.class);
            assertEquals(PipelineFixture.sha256(oldMother), metadata.get("oldSha256"), "the patch's metadata names its old mother");
            assertEquals(PipelineFixture.sha256(newMother), metadata.get("newSha256"));
            assertEquals(Files.size(oldMother), ((Number) metadata.get("oldBytes")).longValue());
            assertEquals(Files.size(newMother), ((Number) metadata.get("newBytes")).longValue());
            assertEquals(diff.get("sha256"), metadata.get("patchSha256"));
            assertTrue(((Number) diff.get("bytesSent")).longValue() >= ((Number) diff.get("bytes")).longValue(), diff.toString());
        }
    }

    @Test
    void aPatchThatCannotBeMadeEndsTheRequestPartlyFailedAndItsSummarySaysWhy() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        PackagingRequest request = PipelineFixture.request(PipelineFixture.mother(apks, "game-1.0.apk", 10), 4,
                List.of(PipelineFixture.mother(apks, "game-0.9.apk", 9)));
        WorkerConfig config = config(apks);
        RecordingAlertChannel channel = new RecordingAlertChannel();
        PatchMaker refusing = (oldApk, newApk, outDir) -> {
            throw new RejectJobException("the mothers are too large to diff within the memory budget");
        };
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC()); UnifiedJedis redis = RedisConnector.open(TestRedis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            RequestStore requests = new RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
            try (WorkerApp app = new WorkerApp(config, PackagingTools.channelBuilder(), refusing, channel, Clock.systemUTC()).start()) {
                new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2)).submit(request);

                RequestStatus status = awaitFinished(requests, request.id(), 120);
                assertEquals("partly_failed", status.state(), "every channel is done, the patch is not");
                assertEquals(0, status.failed());
                assertEquals("failed", status.diffs().get(0).get("state"));
                assertTrue(String.valueOf(status.diffs().get(0).get("error")).contains("memory budget"), status.diffs().toString());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (channel.alerts().stream().noneMatch(a -> a.key().equals("request:" + request.id())) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
            List<Alert> summaries = channel.alerts().stream().filter(a -> a.key().equals("request:" + request.id())).toList();
            assertEquals(1, summaries.size(), "exactly one notification");
            assertEquals(Alert.Severity.WARNING, summaries.get(0).severity());
            assertTrue(summaries.get(0).text().startsWith("4 of 4 channels done, 0 of 1 patch made"), summaries.get(0).text());
            assertTrue(summaries.get(0).text().contains("memory budget"), summaries.get(0).text());
        }
    }

    @Test
    void aDiffJobForAPatchAlreadyMadeMakesNothingTwice() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        Path oldMother = PipelineFixture.mother(apks, "game-0.9.apk", 11);
        Path newMother = PipelineFixture.mother(apks, "game-1.0.apk", 12);
        PackagingRequest request = PipelineFixture.request(newMother, 2, List.of(oldMother));
        PatchMaker real = PackagingTools.patchMaker();
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        PatchMaker counting = (oldApk, newApk, outDir) -> {
            made.incrementAndGet();
            return real.make(oldApk, newApk, outDir);
        };
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC()); UnifiedJedis redis = RedisConnector.open(TestRedis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            RequestStore requests = new RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
            try (WorkerApp app = new WorkerApp(config(apks), PackagingTools.channelBuilder(), counting, new RecordingAlertChannel(),
                    Clock.systemUTC()).start()) {
                new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2)).submit(request);
                assertEquals("done", awaitFinished(requests, request.id(), 120).state());
                assertEquals(1, made.get());

                // the same pair once more, as when the queue has forgotten the first diff job (or redelivers it)
                QueueVersion diffQueue = PipelineFixture.current(broker, Stage.DIFF);
                String oldSha = PipelineFixture.sha256(oldMother);
                String newSha = PipelineFixture.sha256(newMother);
                String payload = "{\"requestId\":\"" + request.id() + "\",\"old\":\"" + oldMother.toUri() + "\",\"new\":\"" + newMother.toUri()
                        + "\",\"oldSha256\":\"" + oldSha + "\",\"newSha256\":\"" + newSha + "\",\"outputStore\":\"local\",\"objectKey\":\"again.bsdiff\"}";
                new QueueClient(broker).enqueue(Stage.DIFF.queueName(), NewJob.of(payload).withId("diff-again"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (broker.job(diffQueue, "diff-again").map(j -> j.state() != JobState.DONE).orElse(true) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(JobState.DONE, broker.job(diffQueue, "diff-again").orElseThrow().state());
            }
            assertEquals(1, made.get(), "the patch was recorded already: no second bsdiff");
            assertTrue(Files.notExists(temp.resolve("store").resolve("again.bsdiff")), "and no second upload");
        }
    }

    @Test
    void whenChannelZeroFailsAnotherChannelPlansThePatchAndTheRequestWaitsForIt() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        Path oldMother = PipelineFixture.mother(apks, "game-0.9.apk", 13);
        PackagingRequest request = PipelineFixture.request(PipelineFixture.mother(apks, "game-1.0.apk", 14), 3, List.of(oldMother));
        String firstChannel = request.channels().get(0).name();
        ChannelBuilder real = PackagingTools.channelBuilder();
        ChannelBuilder refusingChannelZero = new ChannelBuilder() {
            @Override
            public Built build(Mother mother, ChannelSpec spec, String format, String nameTemplate, Path outDir)
                    throws RejectJobException, java.io.IOException {
                if (spec.name().equals(firstChannel)) {
                    throw new RejectJobException("channel " + spec.name() + " is refused by this test");
                }
                return real.build(mother, spec, format, nameTemplate, outDir);
            }

            @Override
            public java.util.Optional<Tail> tail(Mother mother, ChannelSpec spec, String format) throws RejectJobException, java.io.IOException {
                return real.tail(mother, spec, format);
            }
        };
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC()); UnifiedJedis redis = RedisConnector.open(TestRedis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            RequestStore requests = new RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
            try (WorkerApp app = new WorkerApp(config(apks), refusingChannelZero, PackagingTools.patchMaker(), new RecordingAlertChannel(),
                    Clock.systemUTC()).start()) {
                new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2)).submit(request);

                RequestStatus status = awaitFinished(requests, request.id(), 120);
                assertEquals("partly_failed", status.state());
                assertEquals(1, status.failed(), "channel 0 failed");
                assertEquals(List.of("done"), status.diffs().stream().map(d -> d.get("state")).toList(),
                        "the patch was planned by another channel and made before the request finished");
            }
        }
    }

    private WorkerConfig config(Path apks) throws Exception {
        return WorkerConfig.read(Settings.parse("e2e.yml", PipelineFixture.yaml(TestRedis.url(), apks, temp, ""), Map.of()));
    }

    static RequestStatus awaitFinished(RequestStore requests, String id, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            RequestStatus status = requests.status(id).orElse(null);
            if (status != null && status.finished()) {
                return status;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("request " + id + " did not finish within " + seconds + " s: " + requests.status(id).orElse(null));
    }
}

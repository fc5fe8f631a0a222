package dev.packline.worker.e2e;

import dev.packline.admin.AdminMain;
import dev.packline.notify.Alert;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.Submitter;
import dev.packline.pipeline.job.DiffJob;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.queue.upgrade.ShadowReport;
import dev.packline.queue.upgrade.ShadowRun;
import dev.packline.queue.upgrade.ShadowStore;
import dev.packline.queue.upgrade.ShadowVerdict;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.queue.worker.WorkerTest;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import dev.packline.settings.Settings;
import dev.packline.storage.StagedObjects;
import dev.packline.storage.s3proxy.CloudFixture;
import dev.packline.storage.s3proxy.DialectAdapter;
import dev.packline.storage.s3proxy.DialectAdapter.Dialect;
import dev.packline.worker.WorkerApp;
import dev.packline.worker.WorkerConfig;
import dev.packline.worker.alarm.RecordingAlertChannel;
import dev.packline.worker.mother.Mother;
import dev.packline.worker.stage.ChannelBuilder;
import dev.packline.worker.stage.HandlerTools;
import dev.packline.worker.stage.PackagingTools;
import dev.packline.worker.stage.PatchMaker;
import dev.packline.worker.stage.UploadShadow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shadow runs of the diff and upload stages in one worker app on a real redis-server and the
 * local directory store: version 2 of both queues runs handler 2, whose channel writer and patch
 * maker are deliberately one byte off, on copies of every version 1 job. Each comparison comes out
 * a mismatch with both sides' SHA-256 and size, as {@code admin shadow report} prints it, while
 * the request, its stored channels and patch, and its one notification are what they are without
 * the runs, and no shadow object is left in the store (none was ever written under a real key).
 * Its own redis-server: the test adds versions to the stage queues.
 */
class ShadowDiffAndUploadEndToEndTest {
    private static final String CANDIDATE_ON_TWO = """
            queues:
              package: {concurrency: 4}
              upload: {concurrency: 4, handlers: {"1": [1], "2": [2]}}
              diff: {concurrency: 1, handlers: {"1": [1], "2": [2]}}
              notify: {concurrency: 2}
            """;
    private static final int CHANNELS = 4;

    @TempDir
    Path temp;

    /** The shipped writer with one byte of every written APK and every tail changed: the same size, another SHA-256. */
    private static ChannelBuilder oneByteOffChannels() {
        ChannelBuilder shipped = PackagingTools.channelBuilder();
        return new ChannelBuilder() {
            @Override
            public Built build(Mother mother, ChannelSpec channel, String format, String nameTemplate, Path outDir)
                    throws RejectJobException, IOException {
                Built built = shipped.build(mother, channel, format, nameTemplate, outDir);
                byte[] bytes = Files.readAllBytes(built.file());
                bytes[bytes.length - 30] ^= 1;
                Files.write(built.file(), bytes);
                return new Built(built.fileName(), built.file(), bytes.length, sha256(bytes));
            }

            @Override
            public Optional<Tail> tail(Mother mother, ChannelSpec channel, String format) throws RejectJobException, IOException {
                return shipped.tail(mother, channel, format).map(t -> {
                    byte[] bytes = t.bytes().clone();
                    bytes[bytes.length - 30] ^= 1;
                    return new Tail(t.prefixLength(), bytes);
                });
            }
        };
    }

    /** The shipped patch maker with one byte of the patch changed. */
    private static PatchMaker oneByteOffPatches() {
        PatchMaker shipped = PackagingTools.patchMaker();
        return (oldMother, newMother, outDir) -> {
            PatchMaker.Patch patch = shipped.make(oldMother, newMother, outDir);
            byte[] bytes = Files.readAllBytes(patch.file());
            bytes[bytes.length / 2] ^= 1;
            Files.write(patch.file(), bytes);
            return new PatchMaker.Patch(patch.file(), bytes.length, sha256(bytes));
        };
    }

    @Test
    void candidatesWritingADifferentByteAreReportedAsMismatchesAndNoShadowObjectReachesTheStore() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        Path oldMother = PipelineFixture.mother(apks, "game-1.apk", 31);
        Path newMother = PipelineFixture.mother(apks, "game-2.apk", 32);
        Path storeRoot = temp.resolve("store");
        RecordingAlertChannel alerts = new RecordingAlertChannel();
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redis.url(), 4), redis.url(), Clock.systemUTC(), Retention.DEFAULT, true);
             UnifiedJedis jedis = RedisConnector.open(redis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            QueueInspector admin = new QueueInspector(broker, Clock.systemUTC());
            QueueVersion upload2 = admin.newVersion(Stage.UPLOAD.queueName());
            QueueVersion diff2 = admin.newVersion(Stage.DIFF.queueName());
            ShadowStore shadows = new ShadowStore(jedis, Clock.systemUTC());
            for (Stage stage : List.of(Stage.UPLOAD, Stage.DIFF)) {
                shadows.start(new ShadowRun(stage.queueName(), 1, 2, 10_000, ShadowRun.DEFAULT_MAX_BACKLOG, ShadowRun.DEFAULT_ATTEMPTS,
                        System.currentTimeMillis()));
            }
            RequestStore requests = new RequestStore(jedis, Clock.systemUTC(), Duration.ofDays(1));
            WorkerConfig config = WorkerConfig.read(Settings.parse("shadow.yml", PipelineFixture.yaml(redis.url(), apks, temp, "")
                    .replace("queues:\n  package: {concurrency: 4}\n  upload: {concurrency: 4}\n  diff: {concurrency: 1}\n  notify: {concurrency: 2}\n",
                            CANDIDATE_ON_TWO), Map.of()));
            assertEquals(Map.of("1", java.util.Set.of(1), "2", java.util.Set.of(2)), config.queues().get(1).handlers(), "the test's configuration took");
            PackagingRequest request = PipelineFixture.request(newMother, CHANNELS, List.of(oldMother));

            Map<String, HandlerTools> tools = new LinkedHashMap<>();
            tools.put("1", new HandlerTools(PackagingTools.channelBuilder(), PackagingTools.patchMaker()));
            tools.put("2", new HandlerTools(oneByteOffChannels(), oneByteOffPatches()));
            try (WorkerApp app = new WorkerApp(config, tools, alerts, Clock.systemUTC()).start()) {
                new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2)).submit(request);
                RequestStatus status = PipelineEndToEndTest.awaitFinished(requests, request.id(), 120);
                WorkerTest.await("every upload pair compared", () -> shadows.report(Stage.UPLOAD.queueName(), 1, 2).compared() == CHANNELS);
                WorkerTest.await("the diff pair compared", () -> shadows.report(Stage.DIFF.queueName(), 1, 2).compared() == 1);

                // the real side: the request as without the runs, its channels and patch stored as recorded
                PipelineFixture.verifyOutputs(status, storeRoot);
                assertEquals((long) CHANNELS, status.counts().get("upload.done"));
                assertEquals(CHANNELS, broker.jobIds(upload2, JobState.DONE, 0, 100).stream().filter(ShadowRun::isShadowJob).count());
                assertEquals(1, broker.jobIds(diff2, JobState.DONE, 0, 100).stream().filter(ShadowRun::isShadowJob).count());
                assertEquals(0, broker.counts(upload2).dead() + broker.counts(diff2).dead());
                WorkerTest.await("the one summary went out", () -> alerts.alerts().stream().anyMatch(a -> a.key().equals("request:" + request.id())));

                ShadowReport uploads = shadows.report(Stage.UPLOAD.queueName(), 1, 2);
                assertEquals(List.of((long) CHANNELS, 0L, (long) CHANNELS, 0L, 0L),
                        List.of(uploads.copied(), uploads.matches(), uploads.mismatches(), uploads.failures(), uploads.waiting()), uploads.toString());
                Map<String, Object> channelTwo = status.channels().stream().filter(c -> ((Number) c.get("index")).intValue() == 2).findFirst().orElseThrow();
                ShadowReport.Example two = uploads.examples().stream().filter(e -> e.job().equals(Stage.uploadJobId(request.id(), 2))).findFirst().orElseThrow();
                assertEquals(ShadowVerdict.MISMATCH, two.verdict());
                assertEquals(channelTwo.get("sha256"), two.real().output().get("sha256"), "the real side is the object the store holds");
                assertEquals(PipelineFixture.sha256(storeRoot.resolve((String) channelTwo.get("objectKey"))), two.real().output().get("sha256"));
                assertNotEquals(two.real().output().get("sha256"), two.shadow().output().get("sha256"));
                assertEquals(two.real().output().get("size"), two.shadow().output().get("size"));

                ShadowReport diffs = shadows.report(Stage.DIFF.queueName(), 1, 2);
                assertEquals(List.of(1L, 0L, 1L, 0L), List.of(diffs.copied(), diffs.matches(), diffs.mismatches(), diffs.failures()), diffs.toString());
                ShadowReport.Example patch = diffs.examples().get(0);
                Path storedPatch;
                try (var files = Files.walk(storeRoot)) {
                    storedPatch = files.filter(f -> f.toString().endsWith(".bsdiff")).findFirst().orElseThrow();
                }
                assertEquals(PipelineFixture.sha256(storedPatch), patch.real().output().get("sha256"), "the real side is the stored patch");
                assertEquals(Long.toString(Files.size(storedPatch)), patch.real().output().get("size"));
                assertNotEquals(patch.real().output().get("sha256"), patch.shadow().output().get("sha256"));
                assertEquals(patch.real().output().get("size"), patch.shadow().output().get("size"));

                // the same diff job delivered again after its patch was recorded (as a redelivery would):
                // the real side is the patch recorded by pair, so this pair is compared too, not left waiting
                QueueVersion diff1 = QueueVersion.of(Stage.DIFF.queueName(), 1);
                String payload = StageJobs.write(DiffJob.of(request.id(), request.diffAgainst().get(0), request.mother(), PipelineFixture.sha256(oldMother),
                        PipelineFixture.sha256(newMother), "local", storeRoot.relativize(storedPatch).toString()));
                new QueueClient(broker).enqueue(diff1, dev.packline.queue.NewJob.of(payload).withId("diff-again"));
                WorkerTest.await("the repeated diff compared", () -> shadows.report(Stage.DIFF.queueName(), 1, 2).compared() == 2);
                ShadowReport.Example again = shadows.report(Stage.DIFF.queueName(), 1, 2).examples().stream()
                        .filter(e -> e.job().equals("diff-again")).findFirst().orElseThrow();
                assertEquals(patch.real().output(), again.real().output(), "the patch made before is the real side");
                assertEquals(ShadowVerdict.MISMATCH, again.verdict());

                // what the operator reads: bin/packline admin shadow report
                String uploadReport = admin(redis.url(), "shadow", "report", "--queue", "upload", "--from", "1");
                assertTrue(uploadReport.contains("compared " + CHANNELS + ": 0 match, " + CHANNELS + " mismatch, 0 failure; mismatch rate 100.0%"), uploadReport);
                // the table shortens long cells: the SHA-256s' first 20 digits are enough to tell them
                assertTrue(uploadReport.contains("sha256=" + two.real().output().get("sha256").substring(0, 20))
                        && uploadReport.contains("sha256=" + two.shadow().output().get("sha256").substring(0, 20)), "both sides of a mismatch are shown: " + uploadReport);
                String diffReport = admin(redis.url(), "shadow", "report", "--queue", "diff", "--from", "1");
                assertTrue(diffReport.contains("compared 2: 0 match, 2 mismatch, 0 failure"), diffReport);
                assertTrue(diffReport.contains("sha256=" + patch.real().output().get("sha256").substring(0, 20))
                        && diffReport.contains("sha256=" + patch.shadow().output().get("sha256").substring(0, 20)), diffReport);
            }
            List<Alert> summaries = alerts.alerts().stream().filter(a -> a.key().startsWith("request:")).toList();
            assertEquals(1, summaries.size(), "exactly one notification, the real request's: " + summaries);
            try (var files = Files.walk(storeRoot)) {
                List<Path> shadowObjects = files.filter(f -> storeRoot.relativize(f).toString().startsWith(UploadShadow.PREFIX)
                        && Files.isRegularFile(f)).toList();
                assertEquals(List.of(), shadowObjects, "every shadow object was deleted once measured");
            }
            StagedObjects staged = new StagedObjects(jedis, Clock.systemUTC());
            assertTrue(staged.idle("local", Duration.ZERO.minusDays(1), 100).stream().noneMatch(k -> k.startsWith(UploadShadow.PREFIX)),
                    "deleted shadow objects are no longer waiting to expire");
        }
    }

    /**
     * The upload shadow on OSS (the real SDK against S3Proxy) with a mother above the 5 MiB part
     * minimum: handler 2 is the shipped code, so every pair must match. The shadow objects were
     * built server-side like the real ones (part copies of the staged mother, only tails sent),
     * under the shadow prefix, and deleted once measured.
     */
    @Test
    void anUnchangedCandidateMatchesOnACloudStoreWithPartCopiesUnderTheShadowPrefixOnly() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        Path mother = new SampleApkBuilder().seed(41).payloadBytes(6L * 1024 * 1024).build(apks.resolve("game-3.0.apk"));
        String bucket = CloudFixture.newBucket();
        Path keyId = Files.writeString(temp.resolve("key-id"), "shadow-key-id\n");
        Path secret = Files.writeString(temp.resolve("key-secret"), "shadow-key-secret\n");
        String store = """
                  oss-shadow: {kind: oss, endpoint: "%s", bucket: %s, accessKeyId: "file:%s", accessKeySecret: "file:%s",
                            pathStyle: true, partSize: 5MiB, multipartThreshold: 5MiB, copyPartSize: 5MiB, concurrency: 4, requestTimeout: 20s}
                """.formatted(CloudFixture.adapter(Dialect.OSS).endpoint(), bucket, keyId, secret);
        int channels = 3;
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redis.url(), 4), redis.url(), Clock.systemUTC(), Retention.DEFAULT, true);
             UnifiedJedis jedis = RedisConnector.open(redis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            new QueueInspector(broker, Clock.systemUTC()).newVersion(Stage.UPLOAD.queueName());
            ShadowStore shadows = new ShadowStore(jedis, Clock.systemUTC());
            shadows.start(new ShadowRun(Stage.UPLOAD.queueName(), 1, 2, 10_000, ShadowRun.DEFAULT_MAX_BACKLOG, ShadowRun.DEFAULT_ATTEMPTS,
                    System.currentTimeMillis()));
            RequestStore requests = new RequestStore(jedis, Clock.systemUTC(), Duration.ofDays(1));
            WorkerConfig config = WorkerConfig.read(Settings.parse("shadow-cloud.yml", PipelineFixture.yaml(redis.url(), apks, temp, "")
                    .replace("queues:\n  package: {concurrency: 4}\n  upload: {concurrency: 4}\n  diff: {concurrency: 1}\n  notify: {concurrency: 2}\n",
                            CANDIDATE_ON_TWO).replace("stores:\n", "stores:\n" + store), Map.of()));
            List<ChannelSpec> specs = new java.util.ArrayList<>();
            for (int i = 0; i < channels; i++) {
                specs.add(new ChannelSpec("cloud-" + i, Map.of()));
            }
            PackagingRequest request = new PackagingRequest("shadow-cloud-" + java.util.UUID.randomUUID().toString().substring(0, 8), "publisher-a",
                    "dev.packline.sample", mother.toUri().toString(), specs, "walle", "oss-shadow", "game/3.0/", null, List.of(), List.of("log"), "all");

            Map<String, HandlerTools> tools = new LinkedHashMap<>();
            tools.put("1", new HandlerTools(PackagingTools.channelBuilder(), PackagingTools.patchMaker()));
            tools.put("2", new HandlerTools(PackagingTools.channelBuilder(), PackagingTools.patchMaker()));
            try (WorkerApp app = new WorkerApp(config, tools, new RecordingAlertChannel(), Clock.systemUTC()).start()) {
                new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2)).submit(request);
                RequestStatus status = PipelineEndToEndTest.awaitFinished(requests, request.id(), 180);
                assertEquals("done", status.state(), status.toString());
                WorkerTest.await("every upload pair compared", () -> shadows.report(Stage.UPLOAD.queueName(), 1, 2).compared() == channels);
                ShadowReport report = shadows.report(Stage.UPLOAD.queueName(), 1, 2);
                assertEquals(List.of((long) channels, 0L, 0L, 0L), List.of(report.matches(), report.mismatches(), report.failures(), report.waiting()),
                        report.examples().toString());
                for (Map<String, Object> channel : status.channels()) {
                    assertEquals("part_copy", channel.get("uploadMode"), channel.toString());
                }
            }
            List<DialectAdapter.Received> shadowRequests = CloudFixture.adapter(Dialect.OSS).received().stream()
                    .filter(r -> r.path().contains("/" + bucket + "/") && r.path().contains(UploadShadow.PREFIX)).toList();
            assertEquals(channels, shadowRequests.stream().filter(DialectAdapter.Received::isComplete).count(),
                    "one multipart upload per shadow object: " + shadowRequests);
            assertTrue(shadowRequests.stream().anyMatch(DialectAdapter.Received::isCopy), "the shadow objects copy the staged mother's prefix: " + shadowRequests);
            assertTrue(shadowRequests.stream().allMatch(r -> r.bodyBytes() < 64 * 1024), "a shadow object costs its tail: " + shadowRequests);
            assertEquals(channels, shadowRequests.stream().filter(r -> r.method().equals("DELETE")).count(), "each shadow object deleted once measured");
            assertTrue(CloudFixture.adapter(Dialect.OSS).received().stream().filter(r -> r.path().contains("/" + bucket + "/"))
                    .filter(r -> !r.path().contains(UploadShadow.PREFIX) && r.method().equals("DELETE")).findAny().isEmpty(),
                    "nothing but shadow objects was deleted");
        }
    }

    /** Runs {@code bin/packline admin ARGS} against the Redis and returns what it printed; fails on a non-zero exit. */
    private static String admin(String redisUrl, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new java.util.ArrayList<>(List.of("--redis", redisUrl));
        argv.addAll(List.of(args));
        int exit = AdminMain.run(argv, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), null, false, Clock.systemUTC());
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

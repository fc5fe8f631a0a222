package dev.packline.worker.e2e;

import dev.packline.notify.Alert;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.Submitter;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.queue.upgrade.ShadowReport;
import dev.packline.queue.upgrade.ShadowRun;
import dev.packline.queue.upgrade.ShadowStore;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.queue.worker.WorkerTest;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import dev.packline.settings.Settings;
import dev.packline.worker.WorkerApp;
import dev.packline.worker.WorkerConfig;
import dev.packline.worker.alarm.RecordingAlertChannel;
import dev.packline.worker.mother.Mother;
import dev.packline.worker.stage.ChannelBuilder;
import dev.packline.worker.stage.PackagingTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker app with two handler versions of the package stage (queues.package.handlers): mixed
 * mode, where each job runs on the handler of its queue version, and a shadow run, where the
 * candidate handler (deliberately writing a different byte) runs copies of version 1's jobs on
 * version 2 and every difference is reported while the real outputs and notifications stay as
 * without the run. Its own redis-server: the test moves the package queue's current version.
 */
class UpgradeHandlersEndToEndTest {
    private static final String TWO_HANDLERS = """
            queues:
              package: {concurrency: 4, handlers: {"1": [1], "2": [2]}}
              upload: {concurrency: 4}
              diff: {concurrency: 1}
              notify: {concurrency: 2}
            """;

    @TempDir
    Path temp;

    /** Writes channels with the shipped writer and remembers which handler version wrote which channel. */
    private static ChannelBuilder recording(String handler, Map<String, Set<String>> writtenBy) {
        ChannelBuilder shipped = PackagingTools.channelBuilder();
        return new ChannelBuilder() {
            @Override
            public Built build(Mother mother, ChannelSpec channel, String format, String nameTemplate, Path outDir)
                    throws RejectJobException, IOException {
                writtenBy.computeIfAbsent(channel.name() + "@" + outDir.getFileName(), k -> ConcurrentHashMap.newKeySet()).add(handler);
                return shipped.build(mother, channel, format, nameTemplate, outDir);
            }

            @Override
            public Optional<Tail> tail(Mother mother, ChannelSpec channel, String format) throws RejectJobException, IOException {
                return shipped.tail(mother, channel, format);
            }
        };
    }

    /** The candidate of the shadow test: the shipped writer, then one byte of the written APK changed. */
    private static ChannelBuilder oneByteOff() {
        ChannelBuilder shipped = PackagingTools.channelBuilder();
        return new ChannelBuilder() {
            @Override
            public Built build(Mother mother, ChannelSpec channel, String format, String nameTemplate, Path outDir)
                    throws RejectJobException, IOException {
                Built built = shipped.build(mother, channel, format, nameTemplate, outDir);
                byte[] bytes = Files.readAllBytes(built.file());
                bytes[bytes.length / 2] ^= 1;
                Files.write(built.file(), bytes);
                return new Built(built.fileName(), built.file(), bytes.length, sha256(bytes));
            }

            @Override
            public Optional<Tail> tail(Mother mother, ChannelSpec channel, String format) throws RejectJobException, IOException {
                return shipped.tail(mother, channel, format);
            }
        };
    }

    @Test
    void eachPackageJobRunsOnTheHandlerOfItsVersionAndAVersionNoHandlerServesWaits() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        Path mother = PipelineFixture.mother(apks, "game.apk", 21);
        Map<String, Set<String>> writtenBy = new ConcurrentHashMap<>();
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redis.url(), 4), redis.url(), Clock.systemUTC(), Retention.DEFAULT, true);
             UnifiedJedis jedis = RedisConnector.open(redis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            QueueInspector admin = new QueueInspector(broker, Clock.systemUTC());
            QueueVersion package1 = QueueVersion.of("package", 1);
            QueueVersion package2 = admin.newVersion("package");
            QueueVersion package3 = admin.newVersion("package");
            RequestStore requests = new RequestStore(jedis, Clock.systemUTC(), Duration.ofDays(1));
            Submitter submitter = new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2));
            WorkerConfig config = WorkerConfig.read(Settings.parse("mixed.yml", PipelineFixture.yaml(redis.url(), apks, temp, "")
                    .replace("queues:\n  package: {concurrency: 4}\n  upload: {concurrency: 4}\n  diff: {concurrency: 1}\n  notify: {concurrency: 2}\n", TWO_HANDLERS),
                    Map.of()));
            assertEquals(Map.of("1", Set.of(1), "2", Set.of(2)), config.queues().get(0).handlers(), "the test's configuration took");

            PackagingRequest onOne = tagged(PipelineFixture.request(mother, 6, List.of()), "one");
            submitter.submit(onOne);
            admin.setCurrent(package2);
            PackagingRequest onTwo = tagged(PipelineFixture.request(mother, 6, List.of()), "two");
            submitter.submit(onTwo);
            admin.setCurrent(package3);
            PackagingRequest onThree = tagged(PipelineFixture.request(mother, 3, List.of()), "three");
            submitter.submit(onThree);
            assertEquals(List.of(6L, 6L, 3L), List.of(broker.counts(package1).pending(), broker.counts(package2).pending(),
                    broker.counts(package3).pending()));

            Map<String, ChannelBuilder> writers = Map.of("1", recording("1", writtenBy), "2", recording("2", writtenBy));
            try (WorkerApp app = new WorkerApp(config, writers, PackagingTools.patchMaker(), new RecordingAlertChannel(), Clock.systemUTC()).start()) {
                RequestStatus one = PipelineEndToEndTest.awaitFinished(requests, onOne.id(), 120);
                RequestStatus two = PipelineEndToEndTest.awaitFinished(requests, onTwo.id(), 120);
                for (RequestStatus status : List.of(one, two)) {
                    verifyStored(status, temp.resolve("store"));
                }
                // the package stage writes into "package"; the upload stage rebuilds with handler 1 elsewhere
                for (ChannelSpec channel : onOne.channels()) {
                    assertEquals(Set.of("1"), writtenBy.get(channel.name() + "@package"), "version 1's job ran on handler 1");
                }
                for (ChannelSpec channel : onTwo.channels()) {
                    assertEquals(Set.of("2"), writtenBy.get(channel.name() + "@package"), "version 2's job ran on handler 2");
                }
                assertEquals(12, writtenBy.keySet().stream().filter(k -> k.endsWith("@package")).count(),
                        "only the served versions' channels were written: " + writtenBy.keySet());
                assertEquals(6, broker.counts(package2).done());
                assertEquals(3, broker.counts(package3).pending(), "no handler serves version 3: its jobs wait for a worker that does");
                assertEquals(0, broker.counts(package3).active() + broker.counts(package3).done());
            }
        }
    }

    @Test
    void aCandidateWritingADifferentByteIsReportedAsMismatchesWhileRealOutputsAndNotificationsAreUntouched() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        Path mother = PipelineFixture.mother(apks, "game.apk", 22);
        RecordingAlertChannel alerts = new RecordingAlertChannel();
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redis.url(), 4), redis.url(), Clock.systemUTC(), Retention.DEFAULT, true);
             UnifiedJedis jedis = RedisConnector.open(redis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            QueueInspector admin = new QueueInspector(broker, Clock.systemUTC());
            QueueVersion package2 = admin.newVersion("package");
            ShadowStore shadows = new ShadowStore(jedis, Clock.systemUTC());
            shadows.start(new ShadowRun("package", 1, 2, 10_000, ShadowRun.DEFAULT_MAX_BACKLOG, ShadowRun.DEFAULT_ATTEMPTS, System.currentTimeMillis()));
            RequestStore requests = new RequestStore(jedis, Clock.systemUTC(), Duration.ofDays(1));
            WorkerConfig config = WorkerConfig.read(Settings.parse("shadow.yml", PipelineFixture.yaml(redis.url(), apks, temp, "")
                    .replace("queues:\n  package: {concurrency: 4}\n  upload: {concurrency: 4}\n  diff: {concurrency: 1}\n  notify: {concurrency: 2}\n", TWO_HANDLERS),
                    Map.of()));
            PackagingRequest request = PipelineFixture.request(mother, 8, List.of());

            Map<String, ChannelBuilder> writers = Map.of("1", PackagingTools.channelBuilder(), "2", oneByteOff());
            try (WorkerApp app = new WorkerApp(config, writers, PackagingTools.patchMaker(), alerts, Clock.systemUTC()).start()) {
                new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2)).submit(request);
                RequestStatus status = PipelineEndToEndTest.awaitFinished(requests, request.id(), 120);
                WorkerTest.await("every pair compared", () -> shadows.report("package", 1, 2).compared() == 8);

                // the real side: done, every object in the store verifies and is the recorded one, nothing more
                PipelineFixture.verifyOutputs(status, temp.resolve("store"));
                assertEquals(8L, status.counts().get("package.done"), "shadow jobs recorded nothing in the request");
                assertEquals(8L, status.counts().get("upload.done"));
                assertEquals(0, broker.counts(package2).dead());
                assertEquals(8, broker.jobIds(package2, JobState.DONE, 0, 100).stream().filter(ShadowRun::isShadowJob).count());
                QueueVersion upload = PipelineFixture.current(broker, Stage.UPLOAD);
                assertEquals(8, broker.counts(upload).done(), "no upload job for a shadow");
                WorkerTest.await("the one summary went out", () -> alerts.alerts().stream().anyMatch(a -> a.key().equals("request:" + request.id())));

                ShadowReport report = shadows.report("package", 1, 2);
                assertEquals(List.of(8L, 0L, 8L, 0L, 0L), List.of(report.copied(), report.matches(), report.mismatches(), report.failures(), report.waiting()));
                Map<String, Object> recorded = status.channels().stream().filter(c -> ((Number) c.get("index")).intValue() == 3).findFirst().orElseThrow();
                ShadowReport.Example three = report.examples().stream().filter(e -> e.job().equals(Stage.packageJobId(request.id(), 3))).findFirst().orElseThrow();
                assertEquals(recorded.get("sha256"), three.real().output().get("sha256"), "the real side is what the request recorded and the store holds");
                assertNotEquals(three.real().output().get("sha256"), three.shadow().output().get("sha256"));
                assertEquals(three.real().output().get("size"), three.shadow().output().get("size"));

                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.metricsPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("packline_shadow_comparisons_total{") && l.contains("verdict=\"mismatch\"")
                        && l.endsWith(" 8.0")), metrics.lines().filter(l -> l.startsWith("packline_shadow")).toList().toString());
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("packline_shadow_jobs_total{") && l.contains("outcome=\"copied\"")
                        && l.endsWith(" 8.0")), metrics.lines().filter(l -> l.startsWith("packline_shadow")).toList().toString());
            }
            List<Alert> summaries = alerts.alerts().stream().filter(a -> a.key().startsWith("request:")).toList();
            assertEquals(1, summaries.size(), "exactly one notification, the real request's: " + summaries);
            try (var files = Files.walk(temp.resolve("work"))) {
                assertTrue(files.noneMatch(p -> p.toString().endsWith(".apk")), "no shadow output left in the work directory");
            }
        }
    }

    /** The request with its own channel names and output prefix, so several share the store and the work directory. */
    private static PackagingRequest tagged(PackagingRequest r, String tag) {
        List<ChannelSpec> channels = r.channels().stream().map(c -> new ChannelSpec(tag + "-" + c.name(), c.extra())).toList();
        return new PackagingRequest(r.id(), r.publisher(), r.appId(), r.mother(), channels, r.format(), r.outputStore(), tag + "/",
                r.nameTemplate(), r.diffAgainst(), r.notifyChannels(), r.notifyLevel(), r.priority());
    }

    /** Every channel of the request is stored with its recorded bytes (several requests share the store). */
    private static void verifyStored(RequestStatus status, Path storeRoot) throws Exception {
        assertEquals("done", status.state(), status.toString());
        assertEquals(status.total(), status.channels().size());
        for (Map<String, Object> channel : status.channels()) {
            Path file = storeRoot.resolve((String) channel.get("objectKey"));
            assertEquals(channel.get("sha256"), PipelineFixture.sha256(file), "the stored bytes are the recorded ones: " + file);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

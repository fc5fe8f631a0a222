package dev.packline.worker.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.packaging.ApkInspector;
import dev.packline.packaging.Channel;
import dev.packline.packaging.ChannelFormat;
import dev.packline.packaging.ChannelWriter;
import dev.packline.packaging.Patcher;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Submitter;
import dev.packline.queue.QueueClient;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.redis.RedisConnector;
import dev.packline.settings.Settings;
import dev.packline.storage.s3proxy.CloudFixture;
import dev.packline.storage.s3proxy.DialectAdapter;
import dev.packline.storage.s3proxy.DialectAdapter.Dialect;
import dev.packline.worker.WorkerApp;
import dev.packline.worker.WorkerConfig;
import dev.packline.notify.Alert;
import dev.packline.worker.alarm.RecordingAlertChannel;
import dev.packline.worker.stage.PackagingTools;
import dev.packline.worker.stage.UploadStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.io.InputStream;
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
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Channels uploaded to OSS and KS3 (the real SDK clients against S3Proxy) by a real worker: each
 * channel object is built server-side from the staged mother plus a tail of a few KB, downloads
 * byte for byte equal to the channel APK written locally, and verifies with apksig; the mother is
 * sent once per store. A store with a missing bucket dead-letters its channels at once, with the
 * reason and an alert.
 */
class CloudUploadEndToEndTest {
    private static final int CHANNELS = 6;

    @TempDir
    Path temp;

    @Test
    void channelsAreCopiedServerSideFromTheStagedMotherAndEqualTheLocalChannelApks() throws Exception {
        Path apks = Files.createDirectories(temp.resolve("apks"));
        Path mother = new SampleApkBuilder().seed(21).payloadBytes(6L * 1024 * 1024).build(apks.resolve("game-2.0.apk"));
        Path olderMother = new SampleApkBuilder().seed(20).payloadBytes(6L * 1024 * 1024).build(apks.resolve("game-1.9.apk"));
        assertTrue(Files.size(mother) > 5L * 1024 * 1024, "the mother is above the 5 MiB part minimum");
        String ossBucket = CloudFixture.newBucket();
        String ks3Bucket = CloudFixture.newBucket();
        Path keyId = Files.writeString(temp.resolve("key-id"), "e2e-key-id\n");
        Path secret = Files.writeString(temp.resolve("key-secret"), "e2e-very-secret\n");
        String stores = """
                  oss-e2e: {kind: oss, endpoint: "%s", bucket: %s, prefix: releases, accessKeyId: "file:%s", accessKeySecret: "file:%s",
                            pathStyle: true, partSize: 5MiB, multipartThreshold: 5MiB, copyPartSize: 5MiB, concurrency: 4, requestTimeout: 20s}
                  ks3-e2e: {kind: ks3, endpoint: "%s", bucket: %s, accessKeyId: "file:%s", accessKeySecret: "file:%s",
                            pathStyle: true, partSize: 5MiB, multipartThreshold: 5MiB, copyPartSize: 5MiB, concurrency: 4, requestTimeout: 20s}
                  missing-bucket: {kind: oss, endpoint: "%s", bucket: no-such-bucket-e2e, accessKeyId: "file:%s", accessKeySecret: "file:%s",
                            pathStyle: true, partSize: 5MiB, multipartThreshold: 5MiB, maxAttempts: 2}
                """.formatted(CloudFixture.adapter(Dialect.OSS).endpoint(), ossBucket, keyId, secret,
                CloudFixture.adapter(Dialect.KS3).endpoint(), ks3Bucket, keyId, secret,
                CloudFixture.adapter(Dialect.OSS).endpoint(), keyId, secret);
        String yaml = PipelineFixture.yaml(TestRedis.url(), apks, temp, "").replace("stores:\n", "stores:\n" + stores);
        WorkerConfig config = WorkerConfig.read(Settings.parse("cloud-e2e.yml", yaml, Map.of()));
        RecordingAlertChannel channel = new RecordingAlertChannel();
        List<Alert> alerts = channel.alerts();
        CloudFixture.adapter(Dialect.OSS).clearReceived();
        try (RedisQueueBroker broker = TestRedis.broker(Clock.systemUTC()); UnifiedJedis redis = RedisConnector.open(TestRedis.url(), 4)) {
            PipelineFixture.ensureStageQueues(broker);
            RequestStore requests = new RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
            PackagingRequest toOss = request(mother, "oss-e2e", List.of(olderMother.toUri().toString()));
            PackagingRequest toKs3 = request(mother, "ks3-e2e", List.of());
            PackagingRequest toMissing = request(mother, "missing-bucket", List.of());
            String metrics;
            try (WorkerApp app = new WorkerApp(config, PackagingTools.channelBuilder(), PackagingTools.patchMaker(), channel, Clock.systemUTC()).start()) {
                Submitter submitter = new Submitter(requests, new QueueClient(broker), 5, Duration.ofMinutes(2));
                submitter.submit(toOss);
                submitter.submit(toKs3);
                submitter.submit(toMissing);
                PipelineEndToEndTest.awaitFinished(requests, toOss.id(), 180);
                long patchDeadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (requests.status(toOss.id()).orElseThrow().diffs().stream().anyMatch(d -> !"done".equals(d.get("state")))
                        && System.nanoTime() < patchDeadline) {
                    Thread.sleep(50);
                }
                PipelineEndToEndTest.awaitFinished(requests, toKs3.id(), 180);
                PipelineEndToEndTest.awaitFinished(requests, toMissing.id(), 180);
                metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.metricsPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            }

            verify(requests.status(toOss.id()).orElseThrow(), Dialect.OSS, ossBucket, "releases", mother);
            verify(requests.status(toKs3.id()).orElseThrow(), Dialect.KS3, ks3Bucket, "", mother);
            verifyPatch(requests.status(toOss.id()).orElseThrow(), ossBucket, olderMother, mother);
            long motherPartsSent = CloudFixture.adapter(Dialect.OSS).received().stream()
                    .filter(r -> r.isPartUpload() && r.path().contains(UploadStage.STAGING)).count();
            assertEquals(2, motherPartsSent, "the mother went to the OSS store once (two parts of 5 MiB and the rest)");

            RequestStatus failed = requests.status(toMissing.id()).orElseThrow();
            assertEquals("failed", failed.state(), failed.toString());
            assertTrue(failed.channels().stream().allMatch(c -> String.valueOf(c.get("error")).contains("NoSuchBucket")), failed.channels().toString());
            assertTrue(alerts.stream().anyMatch(a -> a.key().equals("store:missing-bucket:not_found") && a.severity() == Alert.Severity.CRITICAL),
                    alerts.toString());

            assertTrue(metrics.contains("packline_upload_bytes_sent_total{store=\"oss-e2e\"}"), metrics);
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("packline_upload_seconds_count{") && l.contains("mode=\"part_copy\"")
                    && l.contains("store=\"ks3-e2e\"")), metrics);
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("packline_upload_errors_total{") && l.contains("kind=\"not_found\"")), metrics);
            assertTrue(metrics.contains("packline_bytes_uploaded_total{store=\"oss-e2e\"}"), metrics);
            assertTrue(!metrics.contains("e2e-very-secret"), "no secret in metrics");
        }
    }

    /** The patch went to OSS like the channels, with its metadata object beside it, and turns the older mother into the new one. */
    private void verifyPatch(RequestStatus status, String bucket, Path olderMother, Path mother) throws Exception {
        assertEquals(1, status.diffs().size(), status.toString());
        Map<String, Object> diff = status.diffs().get(0);
        assertEquals("done", diff.get("state"), diff.toString());
        Path patch = temp.resolve("downloaded.bsdiff");
        try (InputStream in = open(Dialect.OSS, bucket, "releases", (String) diff.get("objectKey"))) {
            Files.copy(in, patch);
        }
        Path rebuilt = temp.resolve("rebuilt.apk");
        new Patcher(1L << 30).apply(olderMother, patch, rebuilt);
        assertEquals(PipelineFixture.sha256(mother), PipelineFixture.sha256(rebuilt), "the patch from OSS turns the older mother into the new");
        Map<?, ?> metadata;
        try (InputStream in = open(Dialect.OSS, bucket, "releases", diff.get("objectKey") + ".json")) {
            metadata = new ObjectMapper().readValue(in, Map.class);
        }
        assertEquals(PipelineFixture.sha256(olderMother), metadata.get("oldSha256"));
        assertEquals(PipelineFixture.sha256(mother), metadata.get("newSha256"));
    }

    private PackagingRequest request(Path mother, String store, List<String> diffAgainst) {
        List<ChannelSpec> specs = new ArrayList<>();
        for (int i = 0; i < CHANNELS; i++) {
            specs.add(new ChannelSpec(i == 0 ? "华为应用市场" : "store-" + i, i % 2 == 0 ? Map.of("campaign", "autumn") : Map.of()));
        }
        return new PackagingRequest("cloud-" + UUID.randomUUID().toString().substring(0, 8), "publisher-a", "dev.packline.sample",
                mother.toUri().toString(), specs, "walle", store, "game/2.0/", null, diffAgainst, List.of("log"), "all");
    }

    /** Every channel object equals the channel APK written locally, verifies with apksig, and cost its tail in upload. */
    private void verify(RequestStatus status, Dialect dialect, String bucket, String prefix, Path mother) throws Exception {
        assertEquals("done", status.state(), status.toString());
        assertEquals(CHANNELS, status.channels().size());
        try (ChannelWriter writer = ChannelWriter.open(mother, new ChannelWriter.Options(ChannelFormat.WALLE))) {
            for (Map<String, Object> result : status.channels()) {
                String name = (String) result.get("channel");
                Map<String, String> extra = status.request().channels().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().extra();
                Path local = writer.write(Channel.of(name, extra), temp.resolve(dialect + "-" + name.hashCode() + ".apk")).file();
                String key = (String) result.get("objectKey");
                byte[] downloaded;
                try (InputStream in = open(dialect, bucket, prefix, key)) {
                    downloaded = in.readAllBytes();
                }
                assertArrayEquals(Files.readAllBytes(local), downloaded, "the stored " + key + " is the local channel APK byte for byte");
                Path copy = Files.write(temp.resolve("downloaded-" + dialect + "-" + name.hashCode() + ".apk"), downloaded);
                assertTrue(ApkInspector.verify(copy).verified(), "apksig verifies " + key);
                assertEquals("part_copy", result.get("uploadMode"), result.toString());
                long sent = ((Number) result.get("bytesSent")).longValue();
                assertTrue(sent > 0 && sent < 64 * 1024, "a channel costs its tail, not the APK: " + sent + " of " + downloaded.length + " bytes");
            }
        }
    }

    /** A plain GET of the object through the dialect adapter, as a client downloading the channel would. */
    private static InputStream open(Dialect dialect, String bucket, String prefix, String key) throws Exception {
        String fullKey = prefix.isEmpty() ? key : prefix + "/" + key;
        URI url = URI.create(CloudFixture.adapter(dialect).endpoint() + "/" + bucket + new URI(null, null, "/" + fullKey, null).getRawPath());
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode(), "GET " + url);
        return response.body();
    }
}

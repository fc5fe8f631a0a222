package dev.packline.storage;

import dev.packline.queue.TestRedis;
import dev.packline.redis.RedisConnector;
import dev.packline.storage.s3proxy.CloudFixture;
import dev.packline.storage.s3proxy.DialectAdapter;
import dev.packline.storage.s3proxy.DialectAdapter.Dialect;
import dev.packline.storage.s3proxy.DialectAdapter.FaultKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.UnifiedJedis;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OSS and KS3 under trouble, with the real SDK clients against S3Proxy: a worker dying mid-upload
 * (the next one continues from the parts in Redis), the janitor aborting what nobody finishes, 5xx,
 * throttling, dropped connections and slow answers retried to correct objects, and configuration
 * errors failing at once with a clear kind.
 */
class CloudUploadTest {
    @TempDir
    Path temp;

    private final UnifiedJedis redis = RedisConnector.open(TestRedis.url());
    private final RedisUploadJournal journal = new RedisUploadJournal(redis);

    @AfterEach
    void cleanUp() throws Exception {
        for (Dialect dialect : Dialect.values()) {
            CloudFixture.adapter(dialect).clearFaults();
        }
        redis.close();
    }

    private static final class Counting implements UploadObserver {
        final AtomicLong sent = new AtomicLong();
        final Map<StoreErrorKind, AtomicLong> errors = new ConcurrentHashMap<>();

        @Override
        public void bytesSent(String store, long bytes) {
            sent.addAndGet(bytes);
        }

        @Override
        public void requestFailed(String store, StoreErrorKind kind) {
            errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        }

        long errors(StoreErrorKind kind) {
            return errors.getOrDefault(kind, new AtomicLong()).get();
        }
    }

    private static byte[] read(ObjectStore store, String key) throws Exception {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aWorkerThatDiesMidUploadLeavesItsPartsToTheNextOne(Dialect dialect) throws Exception {
        DialectAdapter adapter = CloudFixture.adapter(dialect);
        String bucket = CloudFixture.newBucket();
        byte[] content = ObjectStoreContract.randomBytes(26 * 1024 * 1024, 11); // six parts of 5 MiB, the last one 1 MiB
        Path file = Files.write(temp.resolve("game.apk"), content);

        // the first worker gets two parts through, then loses the network for good
        adapter.inject(r -> r.isPartUpload() && r.query().matches(".*partNumber=[3-6](&.*)?"), FaultKind.DROP_MID_BODY, 1000);
        try (ObjectStore first = CloudFixture.open(dialect, bucket, journal, UploadObserver.NONE)) {
            StoreException e = assertThrows(StoreException.class, () -> first.upload("crash/game.apk", file));
            assertTrue(e.kind().retryable(), e.getMessage());
        }
        UploadJournal.Entry left = journal.find(dialect.name().toLowerCase() + "-test", "crash/game.apk").orElseThrow();
        assertEquals(Map.of(1, left.parts().get(1), 2, left.parts().get(2)).keySet(), left.parts().keySet());

        // the job's next delivery, on another worker, sends only parts 3 to 6
        adapter.clearFaults();
        adapter.clearReceived();
        Counting observer = new Counting();
        try (ObjectStore second = CloudFixture.open(dialect, bucket, journal, observer)) {
            UploadReport report = second.upload("crash/game.apk", file);
            assertEquals(2, report.partsReused());
            assertEquals(content.length - 10L * 1024 * 1024, report.bytesSent());
            assertEquals(report.bytesSent(), observer.sent.get());
            assertEquals(4, adapter.received().stream().filter(DialectAdapter.Received::isPartUpload).count());
            assertEquals(0, adapter.received().stream().filter(r -> r.method().equals("POST") && r.query().startsWith("uploads")).count(),
                    "no new multipart upload was started");
            assertArrayEquals(content, read(second, "crash/game.apk"));
        }
        assertTrue(journal.find(dialect.name().toLowerCase() + "-test", "crash/game.apk").isEmpty(), "a finished upload leaves no entry");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theJanitorAbortsUploadsNobodyFinishes(Dialect dialect) throws Exception {
        DialectAdapter adapter = CloudFixture.adapter(dialect);
        String bucket = CloudFixture.newBucket();
        Path file = Files.write(temp.resolve("a.apk"), ObjectStoreContract.randomBytes(11 * 1024 * 1024, 12));
        String store = dialect.name().toLowerCase() + "-test";
        adapter.inject(r -> r.isPartUpload() && r.query().matches(".*partNumber=[23](&.*)?"), FaultKind.STATUS_403, 1000);
        try (ObjectStore crashed = CloudFixture.open(dialect, bucket, journal, UploadObserver.NONE)) {
            assertThrows(StoreException.class, () -> crashed.upload("abandoned/a.apk", file));
            adapter.clearFaults();
            UploadJournal.Entry entry = journal.find(store, "abandoned/a.apk").orElseThrow();
            Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(25)), ZoneOffset.UTC);
            adapter.clearReceived();
            // a part still in flight at the server can make the first abort fail: the janitor tries again on its next pass
            UploadJanitor janitor = new UploadJanitor(journal, Map.of(store, crashed), Duration.ofHours(24), later);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (janitor.sweep() == 0) {
                assertTrue(System.nanoTime() < deadline, "the janitor never aborted " + entry.uploadId());
                Thread.sleep(200);
            }
            assertTrue(journal.find(store, "abandoned/a.apk").isEmpty());
            assertTrue(adapter.received().stream().anyMatch(r -> r.method().equals("DELETE") && r.query().contains(entry.uploadId())),
                    "the store was told to abort upload " + entry.uploadId());
            UploadReport fresh = crashed.upload("abandoned/a.apk", file);
            assertEquals(0, fresh.partsReused());
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void serverErrorsThrottlingDropsAndSlowAnswersEndWithCorrectObjects(Dialect dialect) throws Exception {
        DialectAdapter adapter = CloudFixture.adapter(dialect);
        byte[] content = ObjectStoreContract.randomBytes(16 * 1024 * 1024 + 99, 13);
        Path file = Files.write(temp.resolve("f.apk"), content);
        adapter.inject(r -> r.isPartUpload() && r.query().matches(".*partNumber=1(&.*)?"), FaultKind.STATUS_500, 2);
        adapter.inject(r -> r.isPartUpload() && r.query().matches(".*partNumber=2(&.*)?"), FaultKind.STATUS_503, 1);
        adapter.inject(r -> r.isPartUpload() && r.query().matches(".*partNumber=3(&.*)?"), FaultKind.DROP_MID_BODY, 1);
        adapter.inject(r -> r.isPartUpload() && r.query().matches(".*partNumber=4(&.*)?"), FaultKind.DELAY, 1, Duration.ofSeconds(5));
        adapter.inject(DialectAdapter.Received::isComplete, FaultKind.STATUS_500, 1);
        Counting observer = new Counting();
        try (ObjectStore store = CloudFixture.open(dialect, CloudFixture.newBucket(), journal, observer)) {
            UploadReport report = store.upload("faults/f.apk", file);
            assertEquals(content.length, report.stored().size());
            assertArrayEquals(content, read(store, "faults/f.apk"));
            assertTrue(report.bytesSent() > content.length, "retried parts are sent again: " + report.bytesSent());
        }
        assertEquals(3, observer.errors(StoreErrorKind.SERVER), observer.errors.toString());
        assertEquals(1, observer.errors(StoreErrorKind.THROTTLED), observer.errors.toString());
        assertEquals(1, observer.errors(StoreErrorKind.TIMEOUT), observer.errors.toString());
        assertTrue(observer.errors(StoreErrorKind.NETWORK) + observer.errors(StoreErrorKind.TIMEOUT) >= 2, observer.errors.toString());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void corruptedPartsAreCaughtAndSentAgain(Dialect dialect) throws Exception {
        DialectAdapter adapter = CloudFixture.adapter(dialect);
        byte[] content = ObjectStoreContract.randomBytes(7 * 1024 * 1024, 14);
        Path file = Files.write(temp.resolve("c.apk"), content);
        adapter.inject(r -> r.isPartUpload() && r.query().matches(".*partNumber=2(&.*)?"), FaultKind.CORRUPT_BODY, 1);
        Counting observer = new Counting();
        try (ObjectStore store = CloudFixture.open(dialect, CloudFixture.newBucket(), journal, observer)) {
            store.upload("corrupt/c.apk", file);
            assertArrayEquals(content, read(store, "corrupt/c.apk"));
        }
        assertEquals(1, observer.errors(StoreErrorKind.INTEGRITY), observer.errors.toString());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void accessDeniedAndMissingBucketsFailAtOnceWithAClearKind(Dialect dialect) throws Exception {
        DialectAdapter adapter = CloudFixture.adapter(dialect);
        Path file = Files.write(temp.resolve("d.apk"), ObjectStoreContract.randomBytes(1000, 15));
        Counting observer = new Counting();
        try (ObjectStore missing = CloudFixture.open(dialect, "no-such-bucket-here", journal, observer)) {
            StoreException e = assertThrows(StoreException.class, () -> missing.upload("x/d.apk", file));
            assertEquals(StoreErrorKind.NOT_FOUND, e.kind(), e.getMessage());
            assertTrue(e.kind().failFast());
            assertTrue(e.getMessage().contains("NoSuchBucket"), e.getMessage());
        }
        assertEquals(1, observer.errors.values().stream().mapToLong(AtomicLong::get).sum(), "no retries: " + observer.errors);
        adapter.inject(r -> r.method().equals("PUT"), FaultKind.STATUS_403, 1);
        try (ObjectStore denied = CloudFixture.open(dialect, CloudFixture.newBucket(), journal, UploadObserver.NONE)) {
            StoreException e = assertThrows(StoreException.class, () -> denied.upload("x/d.apk", file));
            assertEquals(StoreErrorKind.AUTH, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("AccessDenied"), e.getMessage());
            assertTrue(!e.getMessage().contains("test-secret-key"), "no secret in messages");
        }
    }
}

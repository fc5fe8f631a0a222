package dev.packline.pipeline.artifact;

import dev.packline.queue.TestClock;
import dev.packline.queue.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Submissions, version history and increment records on a real Redis. */
class ArtifactStoreTest {
    private final TestClock clock = new TestClock();
    private UnifiedJedis redis;
    private ArtifactStore artifacts;
    private IncrementStore increments;
    private final String app = "app-" + UUID.randomUUID();

    @BeforeEach
    void setUp() {
        redis = TestRedis.client();
        artifacts = new ArtifactStore(redis, clock, Duration.ofDays(7));
        increments = new IncrementStore(redis, Duration.ofHours(1));
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private ArtifactSubmission submission(String id, String version, int earlier) {
        return new ArtifactSubmission(id, "pub", app, ArtifactKind.BUNDLE, "index.bundle", version, "file:///b.js", "local", "", earlier);
    }

    private StoredArtifact file(String version, char sha) {
        clock.advance(Duration.ofSeconds(1));
        return new StoredArtifact(version, String.valueOf(sha).repeat(64), String.valueOf(sha).repeat(32), 100, "local",
                "index.bundle-" + version + ".js", "http://x/" + version, clock.millis());
    }

    @Test
    void eachStoredVersionIsDiffedAgainstTheNewestEarlierOnesUpToTheLimit() {
        String id = UUID.randomUUID().toString();
        assertTrue(artifacts.create(submission(id + "1", "1", 2)));
        assertFalse(artifacts.create(submission(id + "1", "1", 2)), "a second create of the same id records nothing");
        assertEquals(List.of(), artifacts.stored(submission(id + "1", "1", 2), file("1", 'a')));
        assertEquals(List.of("1"), artifacts.stored(submission(id + "2", "2", 2), file("2", 'b')).stream().map(StoredArtifact::version).toList());
        assertEquals(List.of("2", "1"), artifacts.stored(submission(id + "3", "3", 2), file("3", 'c')).stream().map(StoredArtifact::version).toList());
        assertEquals(List.of("3", "2"), artifacts.stored(submission(id + "4", "4", 2), file("4", 'd')).stream().map(StoredArtifact::version).toList());
        assertEquals(List.of("4"), artifacts.stored(submission(id + "5", "5", 1), file("5", 'a')).stream().map(StoredArtifact::version).toList(),
                "a rollback's bytes are stored again and diffed against the newest other version");
        ArtifactStore.Status status = artifacts.status(id + "1").orElseThrow();
        assertEquals("stored", status.state());
        assertEquals("a".repeat(64), status.stored().orElseThrow().sha256());
        assertEquals(ArtifactKind.BUNDLE, status.submission().kind());
    }

    @Test
    void plannedIncrementsAndFailuresAreShownWithTheSubmission() {
        String id = UUID.randomUUID().toString();
        artifacts.create(submission(id, "1", 5));
        List<ArtifactStore.PlannedIncrement> planned = List.of(new ArtifactStore.PlannedIncrement(PatchFormat.CHUNK, "0", "a".repeat(64),
                "b".repeat(64)));
        artifacts.planned(id, planned);
        assertEquals(planned, artifacts.status(id).orElseThrow().increments());
        artifacts.failed(id, "not UTF-8 text");
        assertEquals("failed", artifacts.status(id).orElseThrow().state());
        assertEquals("not UTF-8 text", artifacts.status(id).orElseThrow().error().orElseThrow());
        assertTrue(artifacts.status("never-" + id).isEmpty());
    }

    @Test
    void incrementsAreFoundByFormatAndPairAndASuccessClearsAFailure() {
        String from = UUID.randomUUID().toString().replace("-", "").repeat(2);
        String to = "e".repeat(64);
        assertTrue(increments.find(PatchFormat.CHUNK, from, to).isEmpty());
        increments.recordFailure(PatchFormat.CHUNK, from, to, "bad");
        assertEquals("bad", increments.failure(PatchFormat.CHUNK, from, to).orElseThrow());
        Increment made = new Increment(PatchFormat.CHUNK, from, to, "local", "k", "http://x/k", 10, "f".repeat(64), "0".repeat(32), 100, 110);
        increments.record(made);
        assertEquals(made, increments.find(PatchFormat.CHUNK, from, to).orElseThrow());
        assertTrue(increments.failure(PatchFormat.CHUNK, from, to).isEmpty());
        assertTrue(increments.find(PatchFormat.BSDIFF_GZ, from, to).isEmpty(), "each format is its own record");
    }
}

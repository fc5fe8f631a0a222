package dev.packline.pipeline;

import dev.packline.queue.TestClock;
import dev.packline.queue.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The index of every request on a real Redis: written by {@link RequestStore#create}, read newest
 * first across pages without losing or repeating a request created in the same millisecond, trimmed
 * to the retention. The index is shared by every test on this Redis, so each test reads its own app.
 */
class RequestIndexTest {
    private static final Duration RETENTION = Duration.ofHours(1);
    private final TestClock clock = new TestClock();
    private UnifiedJedis redis;
    private RequestStore store;
    private RequestIndex index;
    private final String app = "app-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void setUp() {
        redis = TestRedis.client();
        store = new RequestStore(redis, clock, RETENTION);
        index = new RequestIndex(redis, RETENTION);
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private String create(String id) {
        assertTrue(store.create(new PackagingRequest(app + "-" + id, "publisher-a", app, "file:///data/apks/game.apk",
                List.of(new ChannelSpec("huawei", Map.of())), "walle", "local", "game/", null, List.of(), List.of("log"), null)));
        return app + "-" + id;
    }

    private List<String> readAll(int pageSize) {
        Predicate<RequestIndex.Entry> mine = e -> e.appId().equals(app);
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            RequestIndex.Page page = index.page(cursor, pageSize, 100_000, mine);
            page.entries().forEach(e -> all.add(e.id()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    @Test
    void listsNewestFirstAndPagesThroughTiesWithoutLosingOrRepeatingOne() {
        List<String> sameMillisecond = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sameMillisecond.add(create("a" + i));
        }
        clock.advance(Duration.ofMillis(1));
        String newer = create("b0");
        List<String> expected = new ArrayList<>(List.of(newer));
        expected.addAll(sameMillisecond.reversed()); // ties: member order, descending, as Redis reads them
        assertEquals(expected, readAll(2));
        assertEquals(expected, readAll(50));
        RequestIndex.Entry first = index.page(null, 100_000, 100_000, e -> e.id().equals(newer)).entries().getFirst();
        assertEquals(new RequestIndex.Entry(newer, "publisher-a", app, clock.millis()), first);
    }

    @Test
    void aRetriedCreateListsTheRequestOnce() {
        String id = create("once");
        PackagingRequest again = store.request(id).orElseThrow();
        store.create(again);
        assertEquals(List.of(id), readAll(10));
    }

    @Test
    void entriesOlderThanTheRetentionGoAtTheNextAdd() {
        String old = create("old");
        assertNotNull(redis.zscore(Keys.requestIndex(), old + "|publisher-a|" + app));
        clock.advance(RETENTION.plusMinutes(1));
        String fresh = create("fresh");
        assertNull(redis.zscore(Keys.requestIndex(), old + "|publisher-a|" + app), "its request expired with the retention");
        assertEquals(List.of(fresh), readAll(10));
    }

    @Test
    void aCursorItDidNotMakeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> index.page("yesterday", 10, 100, x -> true));
        assertEquals("not a cursor of the request list: 'yesterday'", e.getMessage());
    }

    @Test
    void aRequestIsCreatedEvenWhenTheIndexCannotBeWritten() {
        String aside = Keys.requestIndex() + ":aside-" + app;
        boolean existed = redis.exists(Keys.requestIndex());
        if (existed) {
            redis.rename(Keys.requestIndex(), aside);
        }
        try {
            redis.set(Keys.requestIndex(), "not a sorted set"); // every write to the index now fails (WRONGTYPE)
            String id = create("unindexed");
            assertTrue(store.status(id).isPresent(), "the request exists, and its create answered true above");
        } finally {
            redis.del(Keys.requestIndex());
            if (existed) {
                redis.rename(aside, Keys.requestIndex());
            }
        }
        assertEquals(List.of(), readAll(10), "it is only missing from the list");
    }

    @Test
    void backfillListsTheRequestsTheIndexMissesAtTheTimeTheyWereCreated() {
        String listed = create("listed");
        clock.advance(Duration.ofMillis(5));
        String before = create("before-the-index");
        long createdAt = clock.millis();
        redis.zrem(Keys.requestIndex(), before + "|publisher-a|" + app); // what a request created before the index existed looks like
        clock.advance(Duration.ofMillis(5));
        assertEquals(List.of(listed), readAll(50), "the list misses it");

        RequestIndex.Backfill first = index.backfill();
        assertTrue(first.examined() >= 2, first.toString());
        assertTrue(first.added() >= 1, first.toString());
        assertEquals(List.of(before, listed), readAll(50), "listed again, in its place by creation time");
        assertEquals((double) createdAt, redis.zscore(Keys.requestIndex(), before + "|publisher-a|" + app));
        index.backfill(); // the index is shared with other tests' requests: what a second one adds is theirs, not a second entry of these
        assertEquals(List.of(before, listed), readAll(50), "a second backfill changes nothing of these");
    }
}

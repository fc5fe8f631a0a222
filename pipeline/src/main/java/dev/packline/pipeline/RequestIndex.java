package dev.packline.pipeline;

import dev.packline.redis.LuaScript;
import dev.packline.redis.RedisErrors;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Every packaging request still kept, newest first, whoever submitted it: the list the web console
 * shows admins and publishers (the producer API keeps its own per-publisher index for
 * {@code GET /v1/jobs}). One sorted set ({@link Keys#requestIndex()}) of {@code ID|PUBLISHER|APP}
 * scored by creation time, added to by {@link RequestStore#create} once the request exists, trimmed
 * on every add to the request retention and to {@code MAX_ENTRIES}. The request's own hash stays the
 * truth: readers skip entries whose request has expired. Requests created before the index existed
 * (or whose listing failed after their create) are listed by {@link #backfill}.
 */
public final class RequestIndex {
    /** The most entries kept: the index of a busy deployment stays a few megabytes. */
    static final int MAX_ENTRIES = 100_000;
    private static final LuaScript ADD = LuaScript.load("/dev/packline/pipeline/scripts/", "request_index_add.lua");

    /** One request as the index lists it. */
    public record Entry(String id, String publisher, String appId, long createdAt) {
    }

    /**
     * Up to the asked number of entries and the cursor of the next (older) page, null at the end or
     * when the entries examined reached the budget before the page filled (then {@code cut} is true
     * and the cursor continues where the reading stopped).
     */
    public record Page(List<Entry> entries, String nextCursor, boolean cut) {
    }

    private final UnifiedJedis redis;
    private final Duration retention;

    public RequestIndex(UnifiedJedis redis, Duration retention) {
        this.redis = redis;
        this.retention = retention;
    }

    void add(PackagingRequest request, long createdAt) {
        String member = request.id() + "|" + request.publisher() + "|" + request.appId();
        call("index request " + request.id(), () -> ADD.run(redis, List.of(Keys.requestIndex()),
                List.of(member, Long.toString(createdAt), Long.toString(retention.toMillis()), Integer.toString(MAX_ENTRIES))));
    }

    /**
     * The newest entries older than {@code cursor} (null: from the newest) that {@code filter} keeps,
     * up to {@code count}, examining at most {@code budget} entries. Ties in creation time are read
     * in Redis's order (member, descending); the cursor holds the time and the member.
     */
    public Page page(String cursor, int count, int budget, Predicate<Entry> filter) {
        String max = "+inf";
        String after = null;
        if (cursor != null) {
            int colon = cursor.indexOf(':');
            if (colon < 1 || !cursor.substring(0, colon).chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not a cursor of the request list: '" + cursor + "'");
            }
            max = cursor.substring(0, colon);
            after = cursor.substring(colon + 1);
        }
        List<Entry> out = new ArrayList<>();
        int examined = 0;
        int offset = 0;
        while (examined < budget) {
            int from = offset;
            String top = max;
            List<Tuple> batch = call("list requests", () -> redis.zrevrangeByScoreWithScores(Keys.requestIndex(), top, "-inf", from, 200));
            if (batch.isEmpty()) {
                return new Page(out, null, false);
            }
            offset += batch.size();
            for (Tuple t : batch) {
                long score = (long) t.getScore();
                if (after != null && Long.toString(score).equals(max) && t.getElement().compareTo(after) >= 0) {
                    continue; // shown on an earlier page
                }
                examined++;
                Entry e = parse(t.getElement(), score);
                if (e != null && filter.test(e)) {
                    out.add(e);
                }
                if (out.size() == count || examined == budget) {
                    return new Page(out, score + ":" + t.getElement(), out.size() < count);
                }
            }
        }
        return new Page(out, null, false);
    }

    /** What a backfill did: request records looked at, and those the index missed, now listed. */
    public record Backfill(long examined, long added) {
    }

    /**
     * Lists every kept request the index misses, at the time it was created: the requests created
     * before the index existed, and any whose listing failed after its create. It scans the keyspace
     * (SCAN, a page of keys at a time, so Redis is never blocked), so it runs on a standalone Redis,
     * not through a Redis Cluster client (Jedis refuses a cluster-wide SCAN with a pattern outside
     * one slot: the caller's warning then says those requests are found by id only). Stops between
     * pages when the thread is interrupted.
     */
    public Backfill backfill() {
        long examined = 0;
        long added = 0;
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match(Keys.REQUEST_PATTERN).count(500);
        do {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            String at = cursor;
            ScanResult<String> page = call("scan request records", () -> redis.scan(at, params));
            for (String key : page.getResult()) {
                String id = Keys.requestIdOf(key);
                if (id == null) {
                    continue;
                }
                examined++;
                List<String> fields = call("read request " + id, () -> redis.hmget(key, "spec", "createdAt"));
                if (fields.get(0) == null || fields.get(1) == null) {
                    continue; // expired meanwhile
                }
                PackagingRequest request = PackagingRequest.fromJson(fields.get(0));
                String member = request.id() + "|" + request.publisher() + "|" + request.appId();
                // ZADD NX, no trim: the backfilling process may not know the retention the producers trim with (their next add trims)
                long createdAt = Long.parseLong(fields.get(1));
                added += call("index request " + id, () -> redis.zadd(Keys.requestIndex(), Map.of(member, (double) createdAt), ZAddParams.zAddParams().nx()));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return new Backfill(examined, added);
    }

    /** Forgets an entry whose request no longer exists. */
    public void forget(Entry entry) {
        call("drop an expired request from the index", () -> redis.zrem(Keys.requestIndex(), entry.id() + "|" + entry.publisher() + "|" + entry.appId()));
    }

    private static Entry parse(String member, long createdAt) {
        int first = member.indexOf('|');
        int second = first < 0 ? -1 : member.indexOf('|', first + 1);
        return second < 0 ? null : new Entry(member.substring(0, first), member.substring(first + 1, second), member.substring(second + 1), createdAt);
    }

    private <T> T call(String operation, Supplier<T> body) {
        return RedisErrors.call(operation, body);
    }
}

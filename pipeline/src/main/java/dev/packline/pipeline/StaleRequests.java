package dev.packline.pipeline;

import dev.packline.redis.RedisErrors;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Request records that will never expire by themselves: a finished request expires a retention
 * after it ends, but one that never finishes (recorded by a submit that died before enqueueing its
 * jobs and was never retried, or whose jobs an admin obliterated) keeps its keys for ever. This
 * removes those older than a bound, with their channel results and running progress (the
 * {@code trim-requests} housekeeping task). It scans the keyspace, so it runs on a standalone Redis
 * (or one node at a time), not through a Redis Cluster client.
 */
public final class StaleRequests {

    /** What a trim did: request records looked at, and removed. */
    public record Trim(long examined, long removed) {
    }

    private final UnifiedJedis redis;
    private final Clock clock;

    public StaleRequests(UnifiedJedis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** Removes unfinished requests created more than {@code olderThan} ago, at most {@code max} of them. */
    public Trim trim(Duration olderThan, long max) {
        long cutoff = clock.millis() - olderThan.toMillis();
        long examined = 0;
        long removed = 0;
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match(Keys.REQUEST_PATTERN).count(500);
        do {
            String at = cursor;
            ScanResult<String> page = RedisErrors.call("scan request records", () -> redis.scan(at, params));
            for (String key : page.getResult()) {
                examined++;
                String id = Keys.requestIdOf(key);
                if (id != null && removed < max && stale(key, cutoff)) {
                    RedisErrors.call("remove stale request " + id, () -> redis.del(Keys.request(id), Keys.channels(id), Keys.running(id)));
                    removed++;
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return new Trim(examined, removed);
    }

    /** Unfinished, never set to expire, and created before the cutoff. */
    private boolean stale(String key, long cutoff) {
        if (RedisErrors.call("read the expiry of " + key, () -> redis.ttl(key)) != -1) {
            return false; // finished (expires by itself) or gone meanwhile
        }
        List<String> f = RedisErrors.call("read " + key, () -> redis.hmget(key, "state", "createdAt"));
        String state = f.get(0);
        // a state this code does not know is no final state: such a record never expires, so it is trimmed like an unfinished one
        boolean unfinished = state != null && RequestState.FINAL.stream().noneMatch(s -> s.wire().equals(state));
        return unfinished && f.get(1) != null && Long.parseLong(f.get(1)) < cutoff;
    }
}

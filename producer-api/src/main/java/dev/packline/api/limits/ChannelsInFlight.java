package dev.packline.api.limits;

import dev.packline.api.jobs.ApiKeys;
import dev.packline.pipeline.RequestStore;
import dev.packline.redis.RedisErrors;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.resps.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cap on a publisher's channels in flight (of requests not yet finished). The in-flight set
 * ({@link ApiKeys#inflight}) scores each unfinished request by the channels it had left when last
 * looked at, so the sum is an upper bound read in one call; only when that bound would refuse a
 * submit are the requests read again (finished ones dropped, the others re-scored). Submits of one
 * publisher are serialised per API instance while the cap applies ({@link #lock}); across instances
 * concurrent submits can overshoot the cap by what they submit at the same moment.
 */
public final class ChannelsInFlight {
    private final UnifiedJedis redis;
    private final RequestStore requests;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public ChannelsInFlight(UnifiedJedis redis, RequestStore requests) {
        this.redis = redis;
        this.requests = requests;
    }

    /** The lock that orders one publisher's check-then-submit in this instance. */
    public ReentrantLock lock(String publisher) {
        return locks.computeIfAbsent(publisher, p -> new ReentrantLock());
    }

    /** Channels of the publisher's unfinished requests; the exact count, read again, when the cheap bound exceeds {@code fitBelow}. */
    public long inFlight(String publisher, long fitBelow) {
        return RedisErrors.call("count the channels in flight of " + publisher, () -> count(publisher, fitBelow));
    }

    private long count(String publisher, long fitBelow) {
        String key = ApiKeys.inflight(publisher);
        List<Tuple> entries = redis.zrangeWithScores(key, 0, -1);
        long bound = entries.stream().mapToLong(t -> (long) t.getScore()).sum();
        if (bound <= fitBelow) {
            return bound;
        }
        long exact = 0;
        for (Tuple t : entries) {
            Optional<RequestStore.Summary> summary = requests.summary(t.getElement());
            if (summary.isEmpty() || summary.get().finished()) {
                redis.zrem(key, t.getElement());
            } else {
                long left = summary.get().total() - summary.get().ended();
                if (left != (long) t.getScore()) {
                    redis.zadd(key, left, t.getElement(), ZAddParams.zAddParams().xx());
                }
                exact += left;
            }
        }
        return exact;
    }
}

package dev.packline.storage;

import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The objects the platform staged in each store for its own use (mothers under
 * {@code _packline/staging/}, the sources of server-side part copies) and when each was last used,
 * so that ones nobody used for a while can be deleted (the {@code expire-staged} housekeeping task)
 * instead of staying in the bucket for ever. One sorted set per store, {@code pl:staged:{STORE}}.
 * Deleting a staged object is safe for a later upload: the store looks for the source before it
 * copies from it and uploads whole when it is gone. Jedis failures reach the caller as they are,
 * as with {@link RedisUploadJournal}.
 */
public final class StagedObjects {
    private final UnifiedJedis redis;
    private final Clock clock;

    public StagedObjects(UnifiedJedis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** Records that the object was staged or used just now. */
    public void used(String store, String key) {
        redis.zadd(Keys.staged(store), clock.millis(), key);
    }

    /** Staged objects of the store not used for {@code idle}, oldest first, at most {@code max}. */
    public List<String> idle(String store, Duration idle, int max) {
        long before = clock.millis() - idle.toMillis();
        return redis.zrangeByScore(Keys.staged(store), Double.NEGATIVE_INFINITY, before, 0, max);
    }

    /** Forgets an object once it is deleted from the store. */
    public void forget(String store, String key) {
        redis.zrem(Keys.staged(store), key);
    }
}

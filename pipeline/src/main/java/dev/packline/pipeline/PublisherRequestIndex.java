package dev.packline.pipeline;

import dev.packline.redis.LuaScript;
import dev.packline.redis.RedisErrors;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Records a new request in its publisher's index (what {@code GET /v1/jobs} lists, newest first)
 * and in-flight set (the channels-in-flight cap), whoever submitted it: the producer API on
 * {@code POST /v1/jobs}, or a worker's housekeeping stage on a schedule's tick. The keys live here so
 * both apps write them the same way; the API reads them (its {@code PublisherIndex}, {@code ChannelsInFlight}).
 * All keys of one publisher share the hash tag {@code {pub:NAME}}: one slot per script (Redis Cluster).
 */
public final class PublisherRequestIndex {
    /** Requests kept in one publisher's index when the API's {@code limits.indexMaxEntries} does not say otherwise. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    private static final LuaScript ADD = LuaScript.load("/dev/packline/pipeline/scripts/", "index_add.lua");

    private final UnifiedJedis redis;
    private final Clock clock;
    private final Duration retention;
    private final int maxEntries;

    /** {@code retention}: the request retention (older entries go); {@code maxEntries}: the newest kept. */
    public PublisherRequestIndex(UnifiedJedis redis, Clock clock, Duration retention, int maxEntries) {
        this.redis = redis;
        this.clock = clock;
        this.retention = retention;
        this.maxEntries = maxEntries;
    }

    /** zset: "ID|APP" -> createdAt ms, newest last; bounded by age and count. */
    public static String requestsKey(String publisher) {
        return "pl:api:{pub:" + publisher + "}:requests";
    }

    /** zset: request id -> channels not yet known to have ended, for the channels-in-flight cap. */
    public static String inFlightKey(String publisher) {
        return "pl:api:{pub:" + publisher + "}:inflight";
    }

    /** Adds the request; adding it again (a retried submit, a redelivered tick) keeps its first entries. */
    public void add(String publisher, String requestId, String appId, int channels) {
        RedisErrors.call("index request " + requestId, () -> ADD.run(redis, List.of(requestsKey(publisher), inFlightKey(publisher)),
                List.of(requestId + "|" + appId, requestId, Long.toString(clock.millis()), Integer.toString(channels),
                        Long.toString(retention.toMillis()), Integer.toString(maxEntries))));
    }
}

package dev.packline.pipeline.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.pipeline.Keys;
import dev.packline.redis.RedisErrors;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where made increments are recorded in Redis, one key per (format, from, to), so any worker or
 * update API instance finds an increment whoever had it made (a request, a submission, a client's
 * check). A record is written once its object is stored and never changes (the same pair and
 * format always make the same bytes' worth of patch), so readers may cache it for good. A failure
 * is recorded with an expiry: a pair that failed is not asked for again until it lapses.
 */
public final class IncrementStore {
    /** How long a failed pair is not asked for again, unless a deployment says otherwise. */
    public static final Duration DEFAULT_FAILURE_MEMORY = Duration.ofHours(1);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final UnifiedJedis redis;
    private final Duration failureMemory;

    /** @param failureMemory how long a failed pair is not tried again */
    public IncrementStore(UnifiedJedis redis, Duration failureMemory) {
        this.redis = redis;
        this.failureMemory = failureMemory;
    }

    public void record(Increment increment) {
        String json = write(increment);
        String format = increment.format().wireName();
        RedisErrors.call("record increment " + describe(format, increment.fromSha256(), increment.toSha256()), () -> {
            redis.set(Keys.increment(format, increment.fromSha256(), increment.toSha256()), json);
            return redis.del(Keys.incrementFailure(format, increment.fromSha256(), increment.toSha256()));
        });
    }

    public Optional<Increment> find(PatchFormat format, String fromSha256, String toSha256) {
        String json = get("increment", Keys.increment(format.wireName(), fromSha256, toSha256));
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(json, Increment.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the increment record " + Keys.increment(format.wireName(), fromSha256, toSha256)
                    + " is not readable: " + e.getOriginalMessage(), e);
        }
    }

    /** Records that making the pair's increment failed for good (its job was dead-lettered). */
    public void recordFailure(PatchFormat format, String fromSha256, String toSha256, String error) {
        String json = write(Map.of("error", error));
        RedisErrors.call("record failed increment " + describe(format.wireName(), fromSha256, toSha256),
                () -> redis.setex(Keys.incrementFailure(format.wireName(), fromSha256, toSha256), failureMemory.toSeconds(), json));
    }

    /** The error of the pair's last failure, while it is remembered. */
    public Optional<String> failure(PatchFormat format, String fromSha256, String toSha256) {
        String json = get("failed increment", Keys.incrementFailure(format.wireName(), fromSha256, toSha256));
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(json).path("error").asText("unknown error"));
        } catch (JsonProcessingException e) {
            return Optional.of("unreadable failure record");
        }
    }

    private String get(String what, String key) {
        return RedisErrors.call("read " + what + " " + key, () -> redis.get(key));
    }

    private static String describe(String format, String from, String to) {
        return format + " " + from + " -> " + to;
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable: " + value, e);
        }
    }
}

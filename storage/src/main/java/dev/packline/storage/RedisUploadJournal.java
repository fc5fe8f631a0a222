package dev.packline.storage;

import redis.clients.jedis.UnifiedJedis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upload journal in Redis, shared by every worker. One hash per (store, key) holds the upload
 * id, plan id, update time and {@code part:N} → ETag; the zset {@code pl:uploads} indexes entries
 * by update time for the janitor. Each write touches one key (a script checks the upload id in the
 * same step), so it runs unchanged on Redis Cluster; the index is updated after the hash, and an
 * index member whose hash is gone is simply dropped.
 */
public final class RedisUploadJournal implements UploadJournal {
    private static final String PART_DONE = """
            if redis.call('HGET', KEYS[1], 'uploadId') == ARGV[1] then
              redis.call('HSET', KEYS[1], ARGV[2], ARGV[3], 'updatedAt', ARGV[4])
              return 1
            end
            return 0""";
    private static final String FORGET = """
            if redis.call('HGET', KEYS[1], 'uploadId') == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0""";

    private final UnifiedJedis redis;

    public RedisUploadJournal(UnifiedJedis redis) {
        this.redis = redis;
    }

    private static String member(String store, String key) {
        return store + "\n" + key;
    }

    @Override
    public Optional<Entry> find(String store, String key) {
        Map<String, String> fields = redis.hgetAll(Keys.upload(store, key));
        if (fields.isEmpty() || !fields.containsKey("uploadId")) {
            return Optional.empty();
        }
        Map<Integer, String> parts = new HashMap<>();
        fields.forEach((field, value) -> {
            if (field.startsWith("part:")) {
                parts.put(Integer.parseInt(field.substring(5)), value);
            }
        });
        return Optional.of(new Entry(store, key, fields.get("uploadId"), fields.getOrDefault("planId", ""),
                Instant.ofEpochMilli(Long.parseLong(fields.getOrDefault("updatedAt", "0"))), Map.copyOf(parts)));
    }

    @Override
    public void started(String store, String key, String uploadId, String planId, Instant now) {
        String hash = Keys.upload(store, key);
        redis.del(hash);
        redis.hset(hash, Map.of("uploadId", uploadId, "planId", planId, "updatedAt", Long.toString(now.toEpochMilli())));
        redis.zadd(Keys.UPLOADS, now.toEpochMilli(), member(store, key));
    }

    @Override
    public void partDone(String store, String key, String uploadId, int partNumber, String etag, Instant now) {
        Object updated = redis.eval(PART_DONE, List.of(Keys.upload(store, key)),
                List.of(uploadId, "part:" + partNumber, etag, Long.toString(now.toEpochMilli())));
        if (Long.valueOf(1).equals(updated)) {
            redis.zadd(Keys.UPLOADS, now.toEpochMilli(), member(store, key));
        }
    }

    @Override
    public void forget(String store, String key, String uploadId) {
        redis.eval(FORGET, List.of(Keys.upload(store, key)), List.of(uploadId));
        if (!redis.exists(Keys.upload(store, key))) {
            redis.zrem(Keys.UPLOADS, member(store, key));
        }
    }

    @Override
    public List<Entry> idleSince(Instant cutoff, int limit) {
        List<Entry> entries = new ArrayList<>();
        for (String member : redis.zrangeByScore(Keys.UPLOADS, 0, cutoff.toEpochMilli(), 0, limit)) {
            int newline = member.indexOf('\n');
            String store = member.substring(0, newline);
            String key = member.substring(newline + 1);
            Optional<Entry> entry = find(store, key);
            if (entry.isEmpty()) {
                redis.zrem(Keys.UPLOADS, member);
            } else if (!entry.get().updatedAt().isAfter(cutoff)) {
                entries.add(entry.get());
            }
        }
        return entries;
    }
}

package dev.packline.http.input.fuzz;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a refused call must not have done: write to Redis. A snapshot holds every key with its
 * serialized value (DUMP); comparing two finds keys added and keys whose value changed. Keys that
 * vanished are not counted: they expire by themselves (a rate limiter's key, say).
 */
public final class RedisWrites {
    private final Map<String, byte[]> values;

    private RedisWrites(Map<String, byte[]> values) {
        this.values = values;
    }

    public static RedisWrites snapshot(UnifiedJedis redis) {
        List<String> keys = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().count(1000));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        Map<String, Response<byte[]>> dumps = new HashMap<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String key : keys) {
                dumps.put(key, pipeline.dump(key));
            }
            pipeline.sync();
        }
        Map<String, byte[]> values = new HashMap<>();
        dumps.forEach((key, dump) -> {
            if (dump.get() != null) {
                values.put(key, dump.get());
            }
        });
        return new RedisWrites(values);
    }

    /** The keys added or changed since {@code before}, described; null when there are none. */
    public String since(RedisWrites before) {
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        values.forEach((key, value) -> {
            byte[] old = before.values.get(key);
            if (old == null) {
                added.add(key);
            } else if (!Arrays.equals(old, value)) {
                changed.add(key);
            }
        });
        return added.isEmpty() && changed.isEmpty() ? null : "added " + added + ", changed " + changed;
    }
}

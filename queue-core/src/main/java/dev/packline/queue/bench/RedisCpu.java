package dev.packline.queue.bench;

import redis.clients.jedis.UnifiedJedis;

/**
 * Redis's own CPU time (user plus system, from {@code INFO cpu}), read at the benchmark's phase
 * boundaries. Microseconds of Redis CPU per job say what a queue path costs the server whatever else
 * runs on the machine, where jobs per second on a shared 2-core box move with the outside load.
 */
final class RedisCpu {
    private final UnifiedJedis redis;

    RedisCpu(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** Redis's CPU time so far, in microseconds. */
    long micros() {
        double seconds = 0;
        for (String line : redis.info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return Math.round(seconds * 1e6);
    }

    /** Microseconds of Redis CPU per job between two readings, one decimal. */
    static double perJob(long fromMicros, long toMicros, int jobs) {
        return Math.round((toMicros - fromMicros) * 10.0 / jobs) / 10.0;
    }
}

package dev.packline.update.increment;

import dev.packline.settings.Settings;

import java.time.Duration;

/**
 * The {@code increments:} section of the update API's configuration: what it offers and what it
 * has made on demand.
 *
 * @param store            the object store (a name in the workers' shared pipeline file) on-demand increments are
 *                         stored in; null: nothing is made on demand, only increments already made are offered
 * @param prefix           the key prefix of on-demand increments in that store
 * @param maxRatio         an increment is offered only when at most this share of the full file's size
 * @param maxFileBytes     no increment is asked for between files larger than this (the diff stage's memory)
 * @param onDemandPerMinute at most this many increments asked for per minute by one instance
 * @param recheck          how long a pair asked for (or failed) is not looked up in Redis again by one instance
 * @param cacheEntries     pairs whose state one instance keeps in memory
 * @param jobTimeout       the hard timeout of an on-demand increment job
 */
public record IncrementsConfig(String store, String prefix, double maxRatio, long maxFileBytes, int onDemandPerMinute, Duration recheck,
                               int cacheEntries, Duration jobTimeout) {

    public static IncrementsConfig defaults() {
        return new IncrementsConfig(null, "", 0.7, 512L << 20, 600, Duration.ofSeconds(5), 100_000, Duration.ofMinutes(10));
    }

    public boolean onDemand() {
        return store != null;
    }

    public static IncrementsConfig read(Settings s) {
        IncrementsConfig d = defaults();
        int ratioPercent = s.integer("increments.maxRatioPercent", (int) Math.round(d.maxRatio() * 100), 1, 100);
        IncrementsConfig c = new IncrementsConfig(s.string("increments.store", d.store()), s.string("increments.prefix", d.prefix()),
                ratioPercent / 100.0, s.bytes("increments.maxFileBytes", d.maxFileBytes()),
                s.integer("increments.onDemandPerMinute", d.onDemandPerMinute(), 0, 1_000_000), s.duration("increments.recheck", d.recheck()),
                s.integer("increments.cacheEntries", d.cacheEntries(), 100, 10_000_000), s.duration("increments.jobTimeout", d.jobTimeout()));
        if (c.recheck().toMillis() < 100) {
            s.problem("increments.recheck: at least 100ms, got " + c.recheck().toMillis() + "ms");
        }
        if (c.prefix().startsWith("/") || c.prefix().contains("..")) {
            s.problem("increments.prefix: may not start with '/' or contain '..'");
        }
        return c;
    }
}

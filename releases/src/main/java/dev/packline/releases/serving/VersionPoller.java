package dev.packline.releases.serving;

import dev.packline.redis.PeriodicTask;

import java.time.Duration;

/**
 * Reads the catalogue version every interval and reloads what changed: repairs a lost pub/sub
 * message, and confirms the snapshot is current (which keeps its age, and so its staleness, down).
 */
public final class VersionPoller extends PeriodicTask {
    private final CatalogCache cache;

    public VersionPoller(CatalogCache cache, Duration interval) {
        super("release-poller", interval, Failures.NONE);
        this.cache = cache;
    }

    @Override
    protected void runOnce() {
        cache.reload(true);
    }
}

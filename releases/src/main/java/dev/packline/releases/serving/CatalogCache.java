package dev.packline.releases.serving;

import dev.packline.releases.redis.RedisReleaseStore;
import dev.packline.releases.redis.RedisReleaseStore.AppReleases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The snapshot an update API instance answers from, and how it is kept fresh. Checks read
 * {@link #current()} and never touch Redis, except for a deployment key the snapshot does not
 * know, which may be new: then one reload runs for all the checks that ask at once (single
 * flight), at most once per {@code missInterval}, so unknown keys sent in a loop cannot flood Redis.
 *
 * <p>A reload reads the catalogue version; when it moved, it reads each app's last-change version
 * and loads only the apps that changed. A failed reload changes nothing: the previous snapshot
 * keeps serving, and {@link #age()} grows until Redis answers again.
 */
public final class CatalogCache {
    private static final Logger log = LoggerFactory.getLogger(CatalogCache.class);

    /** How a lookup of a deployment key ended. */
    public enum Lookup { FOUND, UNKNOWN, UNAVAILABLE }

    /** A lookup's outcome, with the deployment when found. */
    public record Found(Lookup outcome, DeploymentView deployment) {
    }

    private final RedisReleaseStore store;
    private final Clock clock;
    private final Duration missInterval;
    private final AtomicReference<Catalog> catalog = new AtomicReference<>(Catalog.EMPTY);
    private final AtomicReference<CompletableFuture<Catalog>> inFlight = new AtomicReference<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong covered = new AtomicLong();
    private final AtomicLong appLoads = new AtomicLong();
    private volatile long confirmedAt;
    private volatile long lastMissReload;
    private volatile boolean lastReloadFailed;

    public CatalogCache(RedisReleaseStore store, Clock clock, Duration missInterval) {
        this.store = store;
        this.clock = clock;
        this.missInterval = missInterval;
        this.confirmedAt = clock.millis();
    }

    public Catalog current() {
        return catalog.get();
    }

    /** The deployment behind a key; a key the snapshot lacks triggers one shared reload (see the class comment). */
    public Found lookup(String key) {
        Optional<DeploymentView> known = catalog.get().deployment(key);
        if (known.isPresent()) {
            return new Found(Lookup.FOUND, known.get());
        }
        long now = clock.millis();
        if (inFlight.get() != null || now - lastMissReload >= missInterval.toMillis()) {
            try {
                reload(false, true);
            } catch (RuntimeException e) {
                return new Found(Lookup.UNAVAILABLE, null);
            }
        } else if (lastReloadFailed) {
            return new Found(Lookup.UNAVAILABLE, null);
        }
        return catalog.get().deployment(key).map(d -> new Found(Lookup.FOUND, d)).orElse(new Found(Lookup.UNKNOWN, null));
    }

    /**
     * Brings the snapshot up to date with Redis. With {@code fresh}, the reload that serves the call
     * starts after the call (so a change announced just before is in it); without, joining a reload
     * already under way is enough. Throws when Redis cannot be read; the snapshot is then unchanged.
     */
    public Catalog reload(boolean fresh) {
        return reload(fresh, false);
    }

    /**
     * With {@code miss}, a reload this call starts counts as the miss reload {@link #lookup} allows one
     * of per interval: its time is set once the reload is in flight, never before, so a lookup that
     * finds no reload in flight and the interval not over knows the last one has ended (a lookup
     * between the two steps answered an unknown key that the reload under way was about to list).
     */
    private Catalog reload(boolean fresh, boolean miss) {
        long wanted = requests.incrementAndGet();
        while (true) {
            CompletableFuture<Catalog> running = inFlight.get();
            if (running == null) {
                CompletableFuture<Catalog> mine = new CompletableFuture<>();
                if (!inFlight.compareAndSet(null, mine)) {
                    continue;
                }
                if (miss) {
                    lastMissReload = clock.millis();
                }
                long covers = requests.get();
                try {
                    Catalog next = loadChanges();
                    covered.accumulateAndGet(covers, Math::max);
                    lastReloadFailed = false;
                    mine.complete(next);
                    return next;
                } catch (RuntimeException e) {
                    lastReloadFailed = true;
                    mine.completeExceptionally(e);
                    throw e;
                } finally {
                    inFlight.set(null);
                }
            }
            try {
                Catalog joined = running.join();
                if (!fresh || covered.get() >= wanted) {
                    return joined;
                }
            } catch (CompletionException e) {
                if (!fresh) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
        }
    }

    private Catalog loadChanges() {
        Catalog before = catalog.get();
        long version = store.version();
        if (version == before.version()) {
            confirmedAt = clock.millis();
            return before;
        }
        Map<String, Long> versions = store.appVersions();
        List<AppReleases> changed = new ArrayList<>();
        Set<String> removed = new HashSet<>(before.appIds());
        removed.removeAll(versions.keySet());
        for (Map.Entry<String, Long> e : versions.entrySet()) {
            if (e.getValue() != before.appVersion(e.getKey())) {
                appLoads.incrementAndGet();
                store.loadApp(e.getKey()).ifPresentOrElse(changed::add, () -> removed.add(e.getKey()));
            }
        }
        Catalog next = before.with(changed, removed, version);
        catalog.set(next); // only this thread writes: reloads are single-flight
        confirmedAt = clock.millis();
        if (!changed.isEmpty() || !removed.isEmpty()) {
            log.debug("snapshot now at catalogue version {}: {} apps reloaded, {} removed", version, changed.size(), removed.size());
        }
        return next;
    }

    /** How long since Redis last confirmed the snapshot is current. */
    public Duration age() {
        return Duration.ofMillis(Math.max(0, clock.millis() - confirmedAt));
    }

    /** Apps loaded from Redis since start (each reload of a changed app counts one). */
    public long appLoads() {
        return appLoads.get();
    }
}

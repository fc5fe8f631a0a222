package dev.packline.queue.upgrade;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A producer's view of the routing rules: per queue, the rules as last read and when they were
 * last checked. A decision older than {@code poll} first reads the serial (one HGET) and reloads
 * the rules only when it changed, so a rule an admin adds or removes applies in every API
 * instance within {@code poll} of the change, without restarts or a background thread.
 * Thread-safe: submits on many threads share one table.
 */
public final class RouteTable {
    /** How often a producer looks for rule changes by default. */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(2);

    private final RouteStore store;
    private final Clock clock;
    private final Duration poll;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public RouteTable(RouteStore store, Clock clock, Duration poll) {
        this.store = store;
        this.clock = clock;
        this.poll = poll;
    }

    private record Cached(RouteStore.Snapshot snapshot, long checkedAt) {
    }

    /** The first rule that routes this request, if any; none means the queue's current version. */
    public Optional<RouteRule> decide(String queueName, RouteRequest request) {
        for (RouteRule rule : rules(queueName).rules()) {
            if (rule.routes(request)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    RouteStore.Snapshot rules(String queueName) {
        long now = clock.millis();
        Cached cached = cache.get(queueName);
        if (cached != null && now - cached.checkedAt() < poll.toMillis()) {
            return cached.snapshot();
        }
        RouteStore.Snapshot snapshot = cached != null && store.serial(queueName) == cached.snapshot().serial()
                ? cached.snapshot() : store.read(queueName);
        cache.put(queueName, new Cached(snapshot, now));
        return snapshot;
    }
}

package dev.packline.queue.upgrade;

import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.VersionState;
import dev.packline.queue.redis.Keys;
import dev.packline.redis.LuaScript;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When a queue version will be removed by the automatic clean-up, and why not yet: the one place
 * that rule lives, read by {@link VersionCleaner} (which acts on it) and by {@code admin queues}
 * (which shows it). A version goes {@code grace} after it retired (drained and empty), once none
 * of its dead letters is left (requeued or deleted: handled), unless an admin keeps it.
 */
public final class CleanupSchedule {
    /** The default grace period between a version's retirement and its removal. */
    public static final Duration DEFAULT_GRACE = Duration.ofDays(7);
    private static final LuaScript KEEP = LuaScript.load(VersionRollback.SCRIPTS, "version_keep.lua");

    private final UnifiedJedis redis;
    private final QueueBroker broker;
    private final Clock clock;
    private final Duration grace;

    public CleanupSchedule(UnifiedJedis redis, QueueBroker broker, Clock clock, Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("clean-up grace period must not be negative: " + grace);
        }
        this.redis = redis;
        this.broker = broker;
        this.clock = clock;
        this.grace = grace;
    }

    /** Where a version stands with the clean-up. */
    public enum Status {
        /** active, or the queue's current version: never removed */
        IN_SERVICE,
        /** draining with jobs left */
        DRAINING,
        /** draining and empty: the cleaner retires it, which starts its grace period */
        DRAINED,
        /** an admin keeps it (admin version keep) */
        KEPT,
        /** retired, but dead letters are left to requeue or delete first */
        DEAD_LETTERS_LEFT,
        /** retired, removed at {@link Plan#removeAtMillis()} */
        SCHEDULED,
        /** retired and its grace period is over: the next round removes it */
        DUE
    }

    public record Plan(QueueVersion version, Status status, long removeAtMillis, long deadLetters) {
        /** What {@code admin queues} shows in its clean-up column. */
        public String describe() {
            return switch (status) {
                case IN_SERVICE -> "-";
                case DRAINING -> "after drain";
                case DRAINED -> "retiring";
                case KEPT -> "kept";
                case DEAD_LETTERS_LEFT -> "after " + deadLetters + " dead letters";
                case SCHEDULED, DUE -> java.time.Instant.ofEpochMilli(removeAtMillis).toString();
            };
        }
    }

    public Duration grace() {
        return grace;
    }

    public Plan plan(QueueVersion version) {
        QueueCounts counts = broker.counts(version);
        Optional<QueueVersion> current = broker.currentVersion(version.name());
        Map<String, String> info = redis.hgetAll(new Keys(version).info);
        if (counts.state() == VersionState.ACTIVE || current.filter(version::equals).isPresent()) {
            return new Plan(version, Status.IN_SERVICE, 0, counts.dead());
        }
        if (info.containsKey("keep")) {
            return new Plan(version, Status.KEPT, 0, counts.dead());
        }
        if (counts.state() == VersionState.DRAINING) {
            return new Plan(version, counts.unfinished() == 0 ? Status.DRAINED : Status.DRAINING, 0, counts.dead());
        }
        if (counts.dead() > 0) {
            return new Plan(version, Status.DEAD_LETTERS_LEFT, 0, counts.dead());
        }
        long retiredAt = Long.parseLong(info.getOrDefault("retiredAt", Long.toString(clock.millis())));
        long removeAt = retiredAt + grace.toMillis();
        return new Plan(version, clock.millis() >= removeAt ? Status.DUE : Status.SCHEDULED, removeAt, 0);
    }

    /** The schedule as the workers' cleaner last announced its grace period (the default when none has run yet). */
    public static CleanupSchedule announced(UnifiedJedis redis, QueueBroker broker, Clock clock) {
        String grace = redis.hget(Keys.CLEANUP, "graceMs");
        return new CleanupSchedule(redis, broker, clock, grace == null ? DEFAULT_GRACE : Duration.ofMillis(Long.parseLong(grace)));
    }

    /** Tells admins which grace period the clean-up uses (workers should all be configured alike). */
    void announce() {
        redis.hset(Keys.CLEANUP, Map.of("graceMs", Long.toString(grace.toMillis()), "updatedAt", Long.toString(clock.millis())));
    }

    /** Keeps a version from the clean-up ({@code keep}), or lets the clean-up have it again. */
    @SuppressWarnings("unchecked")
    public void keep(QueueVersion version, boolean keep) {
        List<Object> reply = (List<Object>) KEEP.run(redis, List.of(new Keys(version).info),
                List.of(keep ? "1" : "0", Long.toString(clock.millis())));
        if (!"ok".equals(reply.get(0))) {
            throw new QueueStateException("cannot " + (keep ? "keep " : "release ") + version + ": " + reply.get(1));
        }
    }
}

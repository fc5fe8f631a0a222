package dev.packline.queue.upgrade;

import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueBroker.VersionChange;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.redis.Keys;
import dev.packline.redis.LuaScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.util.List;

/**
 * Rolls a queue back to an earlier version: N becomes current again, the version rolled back from
 * stops taking jobs, its jobs that have not started move back to N, and its running jobs finish
 * where they are (its workers keep serving it while it drains).
 *
 * <p>The switch itself is one script in the registry's slot ({@code registry_rollback.lua}); the
 * rest touches other slots (each version is its own hash tag), so it is a few steps in an order
 * that loses no job:
 * <ol>
 *   <li>N back to active (N's slot), before anything points at it: a current version that is
 *       draining would refuse every enqueue;</li>
 *   <li>the switch, only if the version read as current still is (registry slot): from here on
 *       producers enqueue on N;</li>
 *   <li>drain the old version (its slot): a producer that read the registry before step 2 is now
 *       refused and reads it again ({@code QueueClient}), so nothing lands there after step 4;</li>
 *   <li>migrate its jobs that have not started to N, copy first and forget second
 *       ({@link QueueBroker#migrate}), so a crash half-way loses nothing and running it again
 *       finishes the move.</li>
 * </ol>
 * Jobs enqueued on the old version between steps 2 and 3 are moved by step 4. A job of the old
 * version that fails after step 4 retries there (its workers still serve a draining version).
 */
public final class VersionRollback {
    private static final Logger log = LoggerFactory.getLogger(VersionRollback.class);
    static final String SCRIPTS = "/dev/packline/queue/scripts/";
    private static final LuaScript REACTIVATE = LuaScript.load(SCRIPTS, "version_reactivate.lua");
    private static final LuaScript ROLLBACK = LuaScript.load(SCRIPTS, "registry_rollback.lua");
    /** Jobs per migration step: each step is two short scripts plus one enqueue. */
    private static final int MIGRATE_BATCH = 500;

    private final UnifiedJedis redis;
    private final QueueBroker broker;
    private final Clock clock;

    public VersionRollback(UnifiedJedis redis, QueueBroker broker, Clock clock) {
        this.redis = redis;
        this.broker = broker;
        this.clock = clock;
    }

    /** What a rollback did: the version it left, how many waiting jobs moved back, the previous state of the target. */
    public record Result(QueueVersion from, QueueVersion to, String targetWas, int moved) {
    }

    /**
     * Makes {@code target} current again. Refused (QueueStateException) when the target is already
     * current, unknown, or another admin changed the current version meanwhile.
     */
    public Result rollback(QueueVersion target) {
        QueueVersion from = broker.currentVersion(target.name()).orElseThrow(() -> new QueueStateException(
                "cannot roll back queue '" + target.name() + "': it has no current version"));
        if (from.equals(target)) {
            throw new QueueStateException("cannot roll back to " + target + ": it is already current");
        }
        String targetWas = reactivate(target);
        Object switched = ROLLBACK.run(redis, List.of(Keys.registry(target.name())),
                List.of(Integer.toString(target.version()), Integer.toString(from.version()), Long.toString(clock.millis())));
        if (!"ok".equals(switched)) {
            if (!"active".equals(targetWas)) {
                // the target was taken out of service for a reason: refused, it goes back to draining
                broker.changeState(target, VersionChange.DRAIN, false);
            }
            throw new QueueStateException("cannot roll back to " + target + ": " + switched);
        }
        log.info("rolled back queue {} from {} to {} (which was {}); draining {}", target.name(), from, target, targetWas, from);
        int moved = drainAndMove(from, target);
        log.info("rollback of queue {}: {} waiting jobs moved from {} to {}; its running jobs finish there", target.name(), moved, from, target);
        return new Result(from, target, targetWas, moved);
    }

    /**
     * Steps 3 and 4 alone: also how an interrupted rollback is finished (run it again with the same
     * versions; the old version is already draining, the migration picks up where it stopped).
     */
    public int drainAndMove(QueueVersion from, QueueVersion target) {
        if (!"draining".equals(redis.hget(new Keys(from).info, "state"))) {
            broker.changeState(from, VersionChange.DRAIN, false);
        }
        int moved = 0;
        while (true) {
            int step;
            try {
                step = broker.migrate(from, target, MIGRATE_BATCH);
            } catch (QueueStateException e) {
                if (!"retired".equals(redis.hget(new Keys(from).info, "state"))) {
                    throw e;
                }
                // its running jobs finished and a clean-up retired it once the move was done (a retire waits
                // for the migrating list): nothing is left to move
                log.info("{} retired while its jobs were moved back: nothing left to move", from);
                break;
            }
            if (step == 0) {
                break;
            }
            moved += step;
        }
        return moved;
    }

    @SuppressWarnings("unchecked")
    private String reactivate(QueueVersion target) {
        List<Object> reply = (List<Object>) REACTIVATE.run(redis, List.of(new Keys(target).info), List.of(Long.toString(clock.millis())));
        if (!"ok".equals(reply.get(0))) {
            throw new QueueStateException("cannot roll back to " + target + ": " + reply.get(1));
        }
        return (String) reply.get(1);
    }
}

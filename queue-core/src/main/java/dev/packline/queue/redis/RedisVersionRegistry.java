package dev.packline.queue.redis;

import dev.packline.queue.QueueBroker.VersionChange;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.VersionState;
import dev.packline.redis.LuaScript;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The registry of queues and their versions. Per queue name, {@code pl:{name}:registry} holds the
 * current and latest version numbers; each version's state lives in its own {@code info} hash, in
 * the version's slot, so enqueue can check it in the same atomic script that adds the job.
 */
final class RedisVersionRegistry {
    private static final LuaScript VERSION_STATE = LuaScript.load(RedisQueueBroker.SCRIPTS, "version_state.lua");

    private final UnifiedJedis redis;
    private final Clock clock;

    RedisVersionRegistry(UnifiedJedis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    Set<String> queueNames() {
        return new TreeSet<>(redis.smembers(Keys.QUEUES));
    }

    QueueVersion createVersion(String queueName) {
        QueueVersion.requireValidName(queueName);
        String registry = Keys.registry(queueName);
        int number = (int) redis.hincrBy(registry, "latest", 1);
        QueueVersion queue = new QueueVersion(queueName, number);
        List<Object> result = change(queue, "create", false);
        if (!"ok".equals(result.get(0))) {
            throw new QueueStateException("cannot create " + queue + ": " + result.get(1));
        }
        redis.hset(registry, "v:" + number, Long.toString(clock.millis()));
        redis.hsetnx(registry, "current", Integer.toString(number));
        redis.sadd(Keys.QUEUES, queueName);
        return queue;
    }

    Optional<QueueVersion> currentVersion(String queueName) {
        QueueVersion.requireValidName(queueName);
        String current = redis.hget(Keys.registry(queueName), "current");
        return current == null ? Optional.empty() : Optional.of(new QueueVersion(queueName, Integer.parseInt(current)));
    }

    void setCurrentVersion(QueueVersion queue) {
        String state = redis.hget(new Keys(queue).info, "state");
        if (state == null) {
            throw new QueueStateException("cannot make " + queue + " current: no such version");
        }
        if (!VersionState.ACTIVE.wireName().equals(state)) {
            throw new QueueStateException("cannot make " + queue + " current: it is " + state + ", only an active version can be");
        }
        redis.hset(Keys.registry(queue.name()), "current", Integer.toString(queue.version()));
    }

    List<QueueVersion> versions(String queueName) {
        QueueVersion.requireValidName(queueName);
        Map<String, String> fields = redis.hgetAll(Keys.registry(queueName));
        TreeSet<Integer> numbers = new TreeSet<>();
        fields.keySet().stream().filter(f -> f.startsWith("v:")).forEach(f -> numbers.add(Integer.parseInt(f.substring(2))));
        List<QueueVersion> versions = new ArrayList<>();
        numbers.forEach(n -> versions.add(new QueueVersion(queueName, n)));
        return versions;
    }

    VersionState changeState(QueueVersion queue, VersionChange change, boolean force) {
        List<Object> result = change(queue, change.name().toLowerCase(java.util.Locale.ROOT), force);
        if (!"ok".equals(result.get(0))) {
            throw new QueueStateException("cannot " + change.name().toLowerCase(java.util.Locale.ROOT) + " " + queue + ": " + result.get(1));
        }
        return VersionState.parse((String) result.get(1));
    }

    /** After obliterate: the version is no longer listed. */
    void forget(QueueVersion queue) {
        String registry = Keys.registry(queue.name());
        redis.hdel(registry, "v:" + queue.version());
        String current = redis.hget(registry, "current");
        if (Integer.toString(queue.version()).equals(current)) {
            redis.hdel(registry, "current");
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object> change(QueueVersion queue, String action, boolean force) {
        Keys keys = new Keys(queue);
        return (List<Object>) VERSION_STATE.run(redis, List.of(keys.info, keys.pending, keys.delayed, keys.retry, keys.deadlines,
                        keys.urgent, keys.normal, keys.bulk, keys.parked),
                List.of(action, Long.toString(clock.millis()), force ? "1" : "0"));
    }
}

package dev.packline.queue.redis;

import dev.packline.queue.FirstVersion;
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
 *
 * <p>Each change to the registry is one script, but a change that also involves a version's state
 * cannot be one script: the registry ({@code {name}}), each version ({@code {name:N}}) and the list
 * of queues ({@code pl:queues}) are in different Redis Cluster slots, and a script may touch one
 * slot only. Such changes are a few atomic steps in an order that keeps every reader safe, each
 * step saying why it comes where it does.
 */
final class RedisVersionRegistry {
    private static final LuaScript VERSION_STATE = LuaScript.load(RedisQueueBroker.SCRIPTS, "version_state.lua");
    private static final LuaScript REGISTRY_ADD = LuaScript.load(RedisQueueBroker.SCRIPTS, "registry_add.lua");
    private static final LuaScript REGISTRY_SET_CURRENT = LuaScript.load(RedisQueueBroker.SCRIPTS, "registry_set_current.lua");
    private static final LuaScript REGISTRY_FORGET = LuaScript.load(RedisQueueBroker.SCRIPTS, "registry_forget.lua");

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
        // 1. reserve the number (registry slot): two admins creating at once get two versions
        int number = (int) redis.hincrBy(Keys.registry(queueName), "latest", 1);
        return register(new QueueVersion(queueName, number));
    }

    /**
     * Version 1 of a queue that never had a version, for a fresh deployment's first start. Only the
     * caller whose HSETNX reserves number 1 creates it, so any number of processes starting together
     * on an empty Redis make exactly one version; the others see the queue as it stands.
     */
    FirstVersion createFirstVersion(String queueName) {
        QueueVersion.requireValidName(queueName);
        if (redis.hsetnx(Keys.registry(queueName), "latest", "1") == 1) {
            return new FirstVersion(register(new QueueVersion(queueName, 1)), FirstVersion.Outcome.CREATED);
        }
        return new FirstVersion(currentVersion(queueName).orElse(null), FirstVersion.Outcome.EXISTED);
    }

    /** Steps 2 to 4 of a new version whose number is reserved. */
    private QueueVersion register(QueueVersion queue) {
        String registry = Keys.registry(queue.name());
        int number = queue.version();
        String queueName = queue.name();
        // 2. the version itself (its own slot), before anything points at it: a current version
        //    without its info hash would refuse every enqueue as "missing"
        List<Object> result = change(queue, "create", false);
        if (!"ok".equals(result.get(0))) {
            throw new QueueStateException("cannot create " + queue + ": " + result.get(1));
        }
        // 3. list it, and make it current if the queue has none, in one script (registry slot)
        REGISTRY_ADD.run(redis, List.of(registry), List.of(Integer.toString(number), Long.toString(clock.millis())));
        // 4. the queue's name among all queues (a slot of its own); adding it again is harmless
        redis.sadd(Keys.QUEUES, queueName);
        return queue;
    }

    Optional<QueueVersion> currentVersion(String queueName) {
        QueueVersion.requireValidName(queueName);
        String current = redis.hget(Keys.registry(queueName), "current");
        return current == null ? Optional.empty() : Optional.of(new QueueVersion(queueName, Integer.parseInt(current)));
    }

    /**
     * Makes an active version current: the state check reads the version's slot, the switch is one
     * script in the registry's. A drain landing between the two is the same as a drain just after
     * the switch (allowed: draining the current version is how a queue is emptied); an obliterate
     * landing between is refused by the script, since the version is no longer listed.
     */
    void setCurrentVersion(QueueVersion queue) {
        requireActive(queue);
        Object switched = REGISTRY_SET_CURRENT.run(redis, List.of(Keys.registry(queue.name())), List.of(Integer.toString(queue.version())));
        if (!"ok".equals(switched)) {
            throw new QueueStateException("cannot make " + queue + " current: " + switched);
        }
    }

    private void requireActive(QueueVersion queue) {
        String state = redis.hget(new Keys(queue).info, "state");
        if (state == null) {
            throw new QueueStateException("cannot make " + queue + " current: no such version");
        }
        if (!VersionState.ACTIVE.wireName().equals(state)) {
            throw new QueueStateException("cannot make " + queue + " current: it is " + state + ", only an active version can be");
        }
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

    /** After obliterate: the version is no longer listed, nor current (unless another admin switched meanwhile). */
    void forget(QueueVersion queue) {
        REGISTRY_FORGET.run(redis, List.of(Keys.registry(queue.name())), List.of(Integer.toString(queue.version())));
    }

    @SuppressWarnings("unchecked")
    private List<Object> change(QueueVersion queue, String action, boolean force) {
        Keys keys = new Keys(queue);
        return (List<Object>) VERSION_STATE.run(redis, List.of(keys.info, keys.pending, keys.delayed, keys.retry, keys.deadlines,
                        keys.urgent, keys.normal, keys.bulk, keys.parked, keys.migrating),
                List.of(action, Long.toString(clock.millis()), force ? "1" : "0"));
    }
}

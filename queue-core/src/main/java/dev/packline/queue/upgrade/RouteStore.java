package dev.packline.queue.upgrade;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.redis.Keys;
import dev.packline.redis.LuaScript;
import redis.clients.jedis.UnifiedJedis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A queue's routing rules in Redis ({@code pl:{name}:routes}, in the registry's slot): each
 * change is one script that also bumps the hash's {@code serial}, which every producer's
 * {@link RouteTable} polls, so a change reaches every API instance within its poll interval
 * without a restart. Rules are tried oldest first; the first that routes a job wins.
 */
public final class RouteStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LuaScript SET = LuaScript.load(VersionRollback.SCRIPTS, "route_set.lua");
    private static final LuaScript REMOVE = LuaScript.load(VersionRollback.SCRIPTS, "route_remove.lua");

    private final UnifiedJedis redis;

    public RouteStore(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** Adds a rule, or replaces the one with its id (raising a share keeps the requests already routed). */
    public long put(String queueName, RouteRule rule) {
        QueueVersion.requireValidName(queueName);
        String json;
        try {
            json = JSON.writeValueAsString(rule);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write route " + rule.id(), e);
        }
        Object reply = SET.run(redis, List.of(Keys.routes(queueName), Keys.registry(queueName)),
                List.of(rule.id(), json, Integer.toString(rule.version())));
        if (!(reply instanceof Long serial)) {
            throw new QueueStateException("cannot route queue '" + queueName + "' to version " + rule.version() + ": " + reply);
        }
        return serial;
    }

    /** Removes one rule ({@code "*"}: all of the queue's); returns how many went. */
    public long remove(String queueName, String ruleId) {
        QueueVersion.requireValidName(queueName);
        return (Long) REMOVE.run(redis, List.of(Keys.routes(queueName)), List.of(ruleId));
    }

    /** The queue's rules, oldest first, and the serial they were read at. */
    public Snapshot read(String queueName) {
        QueueVersion.requireValidName(queueName);
        Map<String, String> fields = redis.hgetAll(Keys.routes(queueName));
        List<RouteRule> rules = new ArrayList<>();
        fields.forEach((field, value) -> {
            if (field.startsWith("rule:")) {
                try {
                    rules.add(JSON.readValue(value, RouteRule.class));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("route " + field + " of queue '" + queueName + "' is not a rule: " + e.getOriginalMessage(), e);
                }
            }
        });
        rules.sort(Comparator.comparingLong(RouteRule::createdAt).thenComparing(RouteRule::id));
        return new Snapshot(Long.parseLong(fields.getOrDefault("serial", "0")), List.copyOf(rules));
    }

    /** Only the serial: what a producer reads each poll (one HGET). */
    public long serial(String queueName) {
        String serial = redis.hget(Keys.routes(queueName), "serial");
        return serial == null ? 0 : Long.parseLong(serial);
    }

    public record Snapshot(long serial, List<RouteRule> rules) {
    }
}

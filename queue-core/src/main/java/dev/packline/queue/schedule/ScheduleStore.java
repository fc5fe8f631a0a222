package dev.packline.queue.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.QueueException;
import dev.packline.queue.redis.Keys;
import dev.packline.redis.LuaScript;
import dev.packline.redis.RedisErrors;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The schedules in Redis: definitions in one hash, next ticks in one zset ({@code {schedules}}
 * hash tag, so each change is one script, also on Redis Cluster). Every change recomputes the next
 * tick from now, so a schedule changed or resumed does not fire the ticks it had missed.
 */
public final class ScheduleStore {
    private static final String SCRIPTS = "/dev/packline/queue/scripts/";
    private static final LuaScript PUT = LuaScript.load(SCRIPTS, "schedule_put.lua");
    private static final LuaScript ADVANCE = LuaScript.load(SCRIPTS, "schedule_advance.lua");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A schedule and its next tick (empty while paused). */
    public record Entry(Schedule schedule, Optional<Instant> nextTick) {
    }

    /** What a put did. */
    public enum Change { CREATED, UPDATED }

    private final UnifiedJedis redis;
    private final Clock clock;
    private final String defs;
    private final String dueKey;

    public ScheduleStore(UnifiedJedis redis, Clock clock) {
        this(redis, clock, "");
    }

    /** Schedules kept apart under {@code space} (tests sharing one Redis); the apps use the one above. */
    public ScheduleStore(UnifiedJedis redis, Clock clock, String space) {
        this.redis = redis;
        this.clock = clock;
        this.defs = Keys.schedules(space);
        this.dueKey = Keys.schedulesDue(space);
    }

    /** Creates or replaces a schedule; throws IllegalArgumentException listing every problem of a bad one. */
    public Change put(Schedule schedule) {
        List<String> problems = schedule.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid schedule: " + String.join("; ", problems));
        }
        String next = schedule.paused() ? "" : Long.toString(schedule.nextTick(clock.instant()).toEpochMilli());
        Object existed = call("write schedule " + schedule.name(), () -> PUT.run(redis, List.of(defs, dueKey),
                List.of(schedule.name(), toJson(schedule), next)));
        return ((Number) existed).longValue() == 1 ? Change.UPDATED : Change.CREATED;
    }

    /** Removes a schedule; false when there was none. A tick already enqueued stays enqueued. */
    public boolean remove(String name) {
        Object existed = call("remove schedule " + name, () -> PUT.run(redis, List.of(defs, dueKey), List.of(name, "", "")));
        return ((Number) existed).longValue() == 1;
    }

    public Optional<Schedule> get(String name) {
        String json = call("read schedule " + name, () -> redis.hget(defs, name));
        return Optional.ofNullable(json).map(j -> fromJson(name, j));
    }

    /** Every schedule by name, with its next tick. */
    public List<Entry> list() {
        Map<String, String> definitions = new TreeMap<>(call("read schedules", () -> redis.hgetAll(defs)));
        Map<String, Instant> due = new LinkedHashMap<>();
        for (Tuple t : call("read schedule ticks", () -> redis.zrangeWithScores(dueKey, 0, -1))) {
            due.put(t.getElement(), Instant.ofEpochMilli((long) t.getScore()));
        }
        List<Entry> out = new ArrayList<>();
        definitions.forEach((name, json) -> out.add(new Entry(fromJson(name, json), Optional.ofNullable(due.get(name)))));
        return out;
    }

    /** Schedules whose next tick is at or before {@code now}, oldest first, at most {@code max}: name to tick (ms). */
    public Map<String, Long> due(Instant now, int max) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Tuple t : call("read due schedules", () -> redis.zrangeByScoreWithScores(dueKey, 0, now.toEpochMilli(), 0, max))) {
            out.put(t.getElement(), (long) t.getScore());
        }
        return out;
    }

    /** Moves a schedule on from {@code tick} to {@code next}; false when another scheduler did, or an admin changed it. */
    public boolean advance(String name, long tick, long next) {
        Object moved = call("advance schedule " + name, () -> ADVANCE.run(redis, List.of(dueKey),
                List.of(name, Long.toString(tick), Long.toString(next))));
        return ((Number) moved).longValue() == 1;
    }

    private static String toJson(Schedule s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queue", s.queue());
        m.put("payload", s.payload());
        if (s.cron() != null) {
            m.put("cron", s.cron());
        }
        if (s.every() != null) {
            m.put("everyMs", s.every().toMillis());
        }
        m.put("zone", s.zone());
        m.put("priority", s.priority());
        if (s.group() != null) {
            m.put("group", s.group());
        }
        m.put("paused", s.paused());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("schedule " + s.name() + " is not serialisable", e);
        }
    }

    private static Schedule fromJson(String name, String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return new Schedule(name, n.path("queue").asText(null), n.path("payload").asText(null), n.path("cron").asText(null),
                    n.has("everyMs") ? Duration.ofMillis(n.get("everyMs").asLong()) : null, n.path("zone").asText(null),
                    n.path("priority").asText(null), n.path("group").asText(null), n.path("paused").asBoolean(false));
        } catch (JsonProcessingException e) {
            throw new QueueException("schedule " + name + " is not valid JSON", e);
        }
    }

    private static <T> T call(String operation, java.util.function.Supplier<T> body) {
        return RedisErrors.call(operation, body);
    }
}

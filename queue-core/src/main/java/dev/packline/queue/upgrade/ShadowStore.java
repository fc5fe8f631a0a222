package dev.packline.queue.upgrade;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.redis.Keys;
import dev.packline.redis.LuaScript;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A queue's shadow runs and their comparisons in Redis, all in the queue's registry slot
 * ({@code pl:{name}:shadows}, {@code pl:{name}:shadow:N:M}, {@code pl:{name}:shadow-examples:N:M}).
 * Starting a run is one script that checks both versions exist; recording a side is one script
 * that compares when the other side is already there ({@code shadow_result.lua}), so two workers
 * ending the two sides at once still count the pair exactly once.
 */
public final class ShadowStore {
    /** Mismatches and failures kept as examples per run. */
    public static final int MAX_EXAMPLES = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LuaScript START = LuaScript.load(VersionRollback.SCRIPTS, "shadow_start.lua");
    private static final LuaScript RESULT = LuaScript.load(VersionRollback.SCRIPTS, "shadow_result.lua");

    private final UnifiedJedis redis;
    private final Clock clock;

    public ShadowStore(UnifiedJedis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** Starts a run (replacing one from the same version) with fresh counts. */
    public void start(ShadowRun run) {
        Object reply = START.run(redis, List.of(Keys.shadows(run.queue()), Keys.registry(run.queue()),
                        Keys.shadowResults(run.queue(), run.from(), run.to()), Keys.shadowExamples(run.queue(), run.from(), run.to())),
                List.of(Integer.toString(run.from()), Integer.toString(run.to()), write(run), Long.toString(clock.millis())));
        if (!"ok".equals(reply)) {
            throw new QueueStateException("cannot start a shadow run of queue '" + run.queue() + "' from version " + run.from()
                    + " to " + run.to() + ": " + reply);
        }
    }

    /** Stops the run copying this version's jobs; returns it, if there was one. Its counts stay for the report until they expire. */
    public Optional<ShadowRun> stop(String queueName, int from) {
        Optional<ShadowRun> run = runFrom(QueueVersion.of(queueName, from));
        redis.hdel(Keys.shadows(queueName), "from:" + from);
        return run;
    }

    /** The run copying this version's jobs, if any (one HGET: what a worker asks per job). */
    public Optional<ShadowRun> runFrom(QueueVersion version) {
        String json = redis.hget(Keys.shadows(version.name()), "from:" + version.version());
        return json == null ? Optional.empty() : Optional.of(read(json, ShadowRun.class, version.name()));
    }

    /** Every run of the queue, by source version. */
    public List<ShadowRun> runs(String queueName) {
        QueueVersion.requireValidName(queueName);
        List<ShadowRun> runs = new ArrayList<>();
        redis.hgetAll(Keys.shadows(queueName)).values().forEach(json -> runs.add(read(json, ShadowRun.class, queueName)));
        runs.sort(Comparator.comparingInt(ShadowRun::from));
        return runs;
    }

    /** Records how one side ended; the side that ends second gets the verdict. */
    public ShadowVerdict record(QueueVersion source, QueueVersion candidate, String realJobId, Side side, ShadowResult result) {
        Object reply = RESULT.run(redis, List.of(Keys.shadowResults(source.name(), source.version(), candidate.version()),
                        Keys.shadowExamples(source.name(), source.version(), candidate.version())),
                List.of(realJobId, side.code, result.comparable(), write(result), Long.toString(ShadowRun.RETENTION.toMillis()),
                        Integer.toString(MAX_EXAMPLES), Long.toString(clock.millis())));
        return ShadowVerdict.valueOf(((String) reply).toUpperCase());
    }

    /** Counts a copy made, or one dropped (backlog bound, or the candidate version takes no jobs). */
    public void count(ShadowRun run, Copy copy) {
        String key = Keys.shadowResults(run.queue(), run.from(), run.to());
        redis.hincrBy(key, copy.field, 1);
        redis.pexpire(key, ShadowRun.RETENTION.toMillis());
    }

    /** The report of the comparison from one version to another (the run itself if still going). */
    public ShadowReport report(String queueName, int from, int to) {
        QueueVersion.requireValidName(queueName);
        ShadowRun run = runFrom(QueueVersion.of(queueName, from)).filter(r -> r.to() == to).orElse(null);
        List<String> counts = redis.hmget(Keys.shadowResults(queueName, from, to), "copied", "dropped", "matches", "mismatches", "failures", "waiting");
        List<ShadowReport.Example> examples = new ArrayList<>();
        for (String json : redis.lrange(Keys.shadowExamples(queueName, from, to), 0, MAX_EXAMPLES - 1)) {
            examples.add(example(json, queueName));
        }
        return new ShadowReport(queueName, from, to, run, number(counts, 0), number(counts, 1), number(counts, 2),
                number(counts, 3), number(counts, 4), number(counts, 5), examples);
    }

    /** Which side of a comparison a result belongs to. */
    public enum Side {
        REAL("r"), SHADOW("s");

        final String code;

        Side(String code) {
            this.code = code;
        }
    }

    /** What happened to a real job the run would copy. */
    public enum Copy {
        COPIED("copied"), DROPPED("dropped");

        final String field;

        Copy(String field) {
            this.field = field;
        }
    }

    private static long number(List<String> values, int index) {
        String value = values.get(index);
        return value == null ? 0 : Long.parseLong(value);
    }

    private static ShadowReport.Example example(String json, String queueName) {
        Map<?, ?> fields = read(json, Map.class, queueName);
        return new ShadowReport.Example((String) fields.get("job"), ShadowVerdict.valueOf(((String) fields.get("verdict")).toUpperCase()),
                ((Number) fields.get("at")).longValue(), JSON.convertValue(fields.get("real"), ShadowResult.class),
                JSON.convertValue(fields.get("shadow"), ShadowResult.class));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value, e);
        }
    }

    private static <T> T read(String json, Class<T> type, String queueName) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("shadow data of queue '" + queueName + "' is not readable as "
                    + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}

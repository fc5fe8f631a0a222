package dev.packline.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.redis.RedisErrors;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The progress of a request's running channel jobs, where the request's readers find it: one hash
 * per request ({@code pl:{req:ID}:running}, field {@code INDEX:STAGE}), beside its other keys, so
 * the status and the cheap summary (and with it every event stream) read it in one call however
 * many channels the request has. The worker writes a field when a stage job reports and deletes it
 * when the delivery ends, whatever the way (the queue's own copy of the progress, for
 * {@code admin job}, is cleared by the queue's scripts). A worker that dies mid-job leaves its last
 * report until the job runs again (same field) or the key expires, {@code expireAfter} after the
 * last report (the stage jobs' timeout: no delivery runs longer).
 */
public final class RunningChannels {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnifiedJedis redis;
    private final Duration expireAfter;

    public RunningChannels(UnifiedJedis redis, Duration expireAfter) {
        this.redis = redis;
        this.expireAfter = expireAfter;
    }

    /** Records the running stage job's latest report. */
    public void report(String requestId, int index, Stage stage, double fraction, String message, long atMillis) {
        String json;
        try {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("fraction", fraction);
            value.put("message", message);
            value.put("at", atMillis);
            json = JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("progress of channel " + index + " is not serialisable", e);
        }
        String key = Keys.running(requestId);
        RedisErrors.call("record progress of channel " + index + " of request " + requestId, () -> {
            redis.hset(key, field(index, stage), json);
            return redis.pexpire(key, expireAfter.toMillis());
        });
    }

    /** Forgets the stage job's progress: its delivery ended. */
    public void clear(String requestId, int index, Stage stage) {
        RedisErrors.call("clear progress of channel " + index + " of request " + requestId,
                () -> redis.hdel(Keys.running(requestId), field(index, stage)));
    }

    /** The running channel jobs in a {@code running} hash, by channel index, then stage (read by {@link RequestStore}). */
    static List<RunningChannel> parse(Map<String, String> fields) {
        List<RunningChannel> running = new ArrayList<>(fields.size());
        for (Map.Entry<String, String> e : fields.entrySet()) {
            int colon = e.getKey().indexOf(':');
            try {
                JsonNode v = JSON.readTree(e.getValue());
                running.add(new RunningChannel(Integer.parseInt(e.getKey().substring(0, colon)), e.getKey().substring(colon + 1),
                        v.path("fraction").asDouble(), v.path("message").asText(""), v.path("at").asLong()));
            } catch (JsonProcessingException | RuntimeException ex) {
                // progress is information: a field this code cannot read is left out, never an error for the status reader
            }
        }
        running.sort(Comparator.comparingInt(RunningChannel::index).thenComparing(RunningChannel::stage));
        return running;
    }

    private static String field(int index, Stage stage) {
        return index + ":" + stage.queueName();
    }
}

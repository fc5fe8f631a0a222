package dev.packline.queue.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A live worker as it last described itself at its heartbeat: host and pid, the queue versions it
 * serves (labels such as {@code package:3}), jobs started, done and running now, the jobs it may
 * still start before it recycles itself (empty: no limit), and times in epoch ms.
 */
public record WorkerInfo(String id, String host, long pid, List<String> versions, long jobsStarted, long jobsDone,
                         long running, OptionalLong jobsLeftBeforeRecycle, long lastHeartbeatMillis, long startedAtMillis,
                         String generation) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public WorkerInfo {
        versions = List.copyOf(versions);
    }

    /** Reads what {@code Worker} publishes; fields an older worker did not write read as zero or empty. */
    public static WorkerInfo parse(String json) {
        JsonNode w;
        try {
            w = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("worker information is not JSON: " + e.getOriginalMessage(), e);
        }
        List<String> versions = new ArrayList<>();
        w.path("queues").forEach(q -> versions.add(q.asText()));
        long started = w.path("jobsStarted").asLong();
        long running = w.path("inFlight").asLong();
        long done = w.has("jobsDone") ? w.path("jobsDone").asLong() : Math.max(0, started - running);
        OptionalLong left = w.has("jobsLeft") && w.path("jobsLeft").asLong(-1) >= 0 ? OptionalLong.of(w.path("jobsLeft").asLong())
                : OptionalLong.empty();
        return new WorkerInfo(w.path("id").asText(), w.path("host").asText(), w.path("pid").asLong(), versions, started, done, running,
                left, w.path("heartbeatAt").asLong(), w.path("startedAt").asLong(), w.path("generation").asText("0"));
    }
}

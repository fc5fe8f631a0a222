package dev.packline.queue;

import java.util.Map;

/**
 * Everything Redis knows about one job, for inspection: its state, the payload (absent once done)
 * and the raw record (attempts, timestamps, worker, last error, error history...).
 */
public record JobRecord(QueueVersion queue, String id, JobState state, String payload, Map<String, Object> record) {

    public int attempts() {
        return ((Number) record.getOrDefault("attempts", 0)).intValue();
    }

    public String lastError() {
        Object error = record.get("lastError");
        return error == null ? null : error.toString();
    }
}

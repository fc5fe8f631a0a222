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

    /** The running delivery's last reported progress, if any. */
    public java.util.Optional<JobProgress> progress() {
        if (!(record.get("progress") instanceof Map<?, ?> p)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new JobProgress(((Number) p.get("fraction")).doubleValue(), String.valueOf(p.get("message")),
                ((Number) p.get("at")).longValue()));
    }

    public String lastError() {
        Object error = record.get("lastError");
        return error == null ? null : error.toString();
    }
}

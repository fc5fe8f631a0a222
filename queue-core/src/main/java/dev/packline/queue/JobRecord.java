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

    /** The job's failed attempts, oldest first (the last 10; records written before the history existed have none). */
    public java.util.List<JobError> errorHistory() {
        if (!(record.get("errors") instanceof java.util.List<?> errors)) {
            return java.util.List.of();
        }
        java.util.List<JobError> history = new java.util.ArrayList<>(errors.size());
        for (Object entry : errors) {
            if (entry instanceof Map<?, ?> e) {
                history.add(new JobError(e.get("at") instanceof Number n ? n.longValue() : 0,
                        e.get("attempt") instanceof Number n ? n.intValue() : 0,
                        e.get("worker") == null ? "" : e.get("worker").toString(),
                        e.get("error") == null ? "" : e.get("error").toString()));
            }
        }
        return history;
    }

    /** A field of the record that is a time in epoch ms (createdAt, startedAt, finishedAt, deadAt, cancelledAt...), if set. */
    public java.util.OptionalLong time(String field) {
        return record.get(field) instanceof Number n && n.longValue() > 0 ? java.util.OptionalLong.of(n.longValue()) : java.util.OptionalLong.empty();
    }

    public String lastError() {
        Object error = record.get("lastError");
        return error == null ? null : error.toString();
    }
}

package dev.packline.queue.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.JobRecord;

/**
 * {@link JobFilter#payloadField}: a top-level field of the payload equals a value. A payload that is
 * not a JSON object, or lacks the field, does not match; the text search first skips payloads that
 * cannot contain the value without parsing them.
 */
record PayloadField(String field, String value) implements JobFilter {
    private static final ObjectMapper JSON = new ObjectMapper();

    PayloadField {
        if (field == null || field.isBlank()) {
            throw new IllegalArgumentException("a payload filter needs a field name");
        }
        if (value == null) {
            throw new IllegalArgumentException("a payload filter on '" + field + "' needs a value");
        }
    }

    @Override
    public boolean test(JobRecord job) {
        String payload = job.payload();
        if (payload == null || !payload.contains(field)) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(payload).get(field);
            return node != null && node.isValueNode() && node.asText().equals(value);
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}

package dev.packline.worker.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.queue.Job;
import dev.packline.queue.worker.RejectJobException;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a stage job's JSON payload; a payload without a required field is bad input, never retried. */
final class Payload {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Job job;
    private final JsonNode node;

    private Payload(Job job, JsonNode node) {
        this.job = job;
        this.node = node;
    }

    static Payload of(Job job) throws RejectJobException {
        try {
            JsonNode node = JSON.readTree(job.payload());
            if (node == null || !node.isObject()) {
                throw new RejectJobException("payload of job " + job.id() + " is not a JSON object");
            }
            return new Payload(job, node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RejectJobException("payload of job " + job.id() + " is not JSON: " + e.getOriginalMessage());
        }
    }

    String text(String field) throws RejectJobException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || !value.isValueNode()) {
            throw new RejectJobException("payload of " + job.queue().name() + " job " + job.id() + " lacks '" + field + "'");
        }
        return value.asText();
    }

    String textOr(String field, String fallback) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    int integer(String field) throws RejectJobException {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new RejectJobException("payload of " + job.queue().name() + " job " + job.id() + " lacks the number '" + field + "'");
        }
        return value.asInt();
    }

    ChannelSpec channel() throws RejectJobException {
        Map<String, String> extra = new LinkedHashMap<>();
        JsonNode e = node.get("extra");
        if (e != null && e.isObject()) {
            e.fields().forEachRemaining(f -> extra.put(f.getKey(), f.getValue().asText()));
        }
        return new ChannelSpec(text("channel"), extra);
    }

    JsonNode node() {
        return node;
    }
}

package dev.packline.releases.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How the catalogue's records are written in Redis: Jackson over the model's records. Unknown
 * fields are ignored on read, so a newer writer's extra field does not break an older reader.
 */
final class ReleaseJson {
    static final ObjectMapper MAPPER = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ReleaseJson() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static <T> T read(String json, Class<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new CorruptRecordException(what + " in Redis is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}

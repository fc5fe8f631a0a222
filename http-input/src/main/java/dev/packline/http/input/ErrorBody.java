package dev.packline.http.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documented JSON error shape, in one place for every app and for the web server's own
 * refusals: {@code {"error": {"status", "reason", "message", "problems": [{"field", "reason",
 * "message"}], "retryAfterSeconds"}}}, {@code problems} only when there are some (the first 100),
 * {@code retryAfterSeconds} only when given.
 */
public final class ErrorBody {
    /** Problems listed in one body; a count says how many there were. */
    public static final int MAX_LISTED_PROBLEMS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One entry of {@code problems}, with the reason as its tag. */
    public record Entry(String field, String reason, String message) {
        public static Entry of(InputProblem p) {
            return new Entry(p.field(), p.kind().tag(), p.message());
        }
    }

    private ErrorBody() {
    }

    /** The body as a map, for apps that send JSON through their own mapper. */
    public static Map<String, Object> shape(int status, String reason, String message, List<Entry> problems, Long retryAfterSeconds) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", status);
        error.put("reason", reason);
        error.put("message", message);
        if (!problems.isEmpty()) {
            error.put("problems", problems.stream().limit(MAX_LISTED_PROBLEMS).map(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("field", p.field());
                m.put("reason", p.reason());
                m.put("message", p.message());
                return m;
            }).toList());
        }
        if (retryAfterSeconds != null) {
            error.put("retryAfterSeconds", retryAfterSeconds);
        }
        return Map.of("error", error);
    }

    /** The body of a refusal of input, as bytes. */
    public static byte[] of(InputRefusedException e) {
        return bytes(shape(e.status(), e.kind().tag(), e.getMessage(), e.problems().stream().map(Entry::of).toList(), null));
    }

    public static byte[] bytes(Map<String, Object> shape) {
        try {
            return JSON.writeValueAsBytes(shape);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
    }
}

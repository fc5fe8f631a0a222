package dev.packline.http.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * The one way a JSON request body is read. In order: the size limit, strict UTF-8
 * ({@link StrictUtf8}), then exactly one JSON value with nothing after it but whitespace, no
 * duplicate keys, nesting depth and string and number lengths bounded, and no lone surrogates from
 * {@code \\u} escapes in any key or string. Every refusal is an {@link InputRefusedException}
 * naming {@code body} or the field at fault. What the fields mean is read with {@link JsonFields}.
 */
public final class JsonBody {

    /**
     * @param maxBytes     the largest body (413 above it)
     * @param maxDepth     how deeply arrays and objects may nest
     * @param maxTextChars the longest string or key
     */
    public record Limits(long maxBytes, int maxDepth, int maxTextChars) {
        public Limits {
            if (maxBytes < 1 || maxDepth < 1 || maxTextChars < 1) {
                throw new IllegalArgumentException("JSON body limits must be positive: " + maxBytes + ", " + maxDepth + ", " + maxTextChars);
            }
        }

        /** 1 MiB, 16 levels, 64 Ki characters per string: enough for any body the apps take. */
        public static Limits defaults() {
            return new Limits(1 << 20, 16, 65_536);
        }

        public Limits withMaxBytes(long bytes) {
            return new Limits(bytes, maxDepth, maxTextChars);
        }
    }

    /** Longest number literal: a 64-bit integer has 20 characters with its sign; nothing the apps take needs more. */
    static final int MAX_NUMBER_CHARS = 24;

    private final Limits limits;
    private final ObjectMapper mapper;

    public JsonBody(Limits limits) {
        this.limits = limits;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxStringLength(limits.maxTextChars())
                        .maxNameLength(limits.maxTextChars())
                        .maxNumberLength(MAX_NUMBER_CHARS)
                        .build())
                .build();
        this.mapper = new ObjectMapper(factory)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS); // 1e999 stays a number, never Infinity
    }

    public Limits limits() {
        return limits;
    }

    /** The body as a JSON object; refused when it is anything else. */
    public ObjectNode object(byte[] body) {
        JsonNode root = value(body);
        if (!root.isObject()) {
            throw InputRefusedException.invalid("body", "must be a JSON object, got " + JsonFields.describe(root));
        }
        return (ObjectNode) root;
    }

    /** The body's one JSON value. */
    public JsonNode value(byte[] body) {
        if (body.length > limits.maxBytes()) {
            throw InputRefusedException.of(413, "body", ProblemKind.BODY_TOO_LARGE, "larger than the limit of " + limits.maxBytes() + " bytes");
        }
        String text = StrictUtf8.decode(body, "body");
        if (text.isBlank()) {
            throw InputRefusedException.invalid("body", "empty; a JSON value is required");
        }
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (StreamConstraintsException e) {
            throw InputRefusedException.invalid("body", "exceeds a limit (depth " + limits.maxDepth() + ", strings of "
                    + limits.maxTextChars() + " characters, numbers of " + MAX_NUMBER_CHARS + "): " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw InputRefusedException.invalid("body", "malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        rejectLoneSurrogates(root, "");
        return root;
    }

    /** Lone surrogates can only come from escapes; they would be written as replacement characters, making two inputs one. */
    private static void rejectLoneSurrogates(JsonNode node, String path) {
        if (node.isTextual()) {
            if (StrictUtf8.loneSurrogateAt(node.textValue()) >= 0) {
                throw InputRefusedException.invalid(path.isEmpty() ? "body" : path, "contains half of a UTF-16 surrogate pair (an escape like \\ud800 alone)");
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectLoneSurrogates(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = JsonFields.child(path, field.getKey());
                if (StrictUtf8.loneSurrogateAt(field.getKey()) >= 0) {
                    throw InputRefusedException.invalid(path.isEmpty() ? "body" : path, "a key contains half of a UTF-16 surrogate pair");
                }
                rejectLoneSurrogates(field.getValue(), at);
            }
        }
    }
}

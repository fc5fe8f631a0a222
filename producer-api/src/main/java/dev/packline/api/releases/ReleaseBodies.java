package dev.packline.api.releases;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.api.http.ApiError;
import dev.packline.api.http.ApiError.Problem;
import dev.packline.api.http.Reason;
import dev.packline.http.input.JsonBody;
import dev.packline.releases.ActionRequest;
import dev.packline.releases.Artifact;
import dev.packline.releases.LabelType;
import dev.packline.releases.Names;
import dev.packline.releases.NewRelease.NewLabel;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The release routes' bodies, decoded strictly: a JSON object with only known fields, each of its
 * type, every problem named at once (400). The one place these bodies are decoded, so it is easy to
 * swap for the shared strict decoder.
 */
final class ReleaseBodies {
    /** A decoded body: typed getters that record problems instead of throwing, then {@link #finish()}. */
    static final class Body {
        private final JsonNode root;
        private final List<Problem> problems = new ArrayList<>();

        private Body(JsonNode root, Set<String> fields) {
            this.root = root;
            for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!fields.contains(name)) {
                    problems.add(new Problem(name, Reason.UNKNOWN_FIELD, "unknown field; expected one of " + fields.stream().sorted().toList()));
                }
            }
        }

        String text(String field, boolean required) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                if (required) {
                    problems.add(new Problem(field, Reason.MISSING_FIELD, "required"));
                }
                return null;
            }
            if (!n.isTextual()) {
                problems.add(new Problem(field, Reason.INVALID_REQUEST, "a string"));
                return null;
            }
            return n.textValue();
        }

        boolean bool(String field) {
            JsonNode n = root.get(field);
            if (n != null && !n.isNull() && !n.isBoolean()) {
                problems.add(new Problem(field, Reason.INVALID_REQUEST, "true or false"));
            }
            return n != null && n.asBoolean(false);
        }

        List<String> texts(String field, boolean required) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                if (required) {
                    problems.add(new Problem(field, Reason.MISSING_FIELD, "required: a list of strings"));
                }
                return required ? null : List.of();
            }
            List<String> values = new ArrayList<>();
            if (!n.isArray()) {
                problems.add(new Problem(field, Reason.INVALID_REQUEST, "a list of strings"));
                return null;
            }
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    problems.add(new Problem(field, Reason.INVALID_REQUEST, "a list of strings"));
                    return null;
                }
                values.add(e.textValue());
            }
            return values;
        }

        JsonNode node(String field) {
            return root.get(field);
        }

        /** The labels field: a list of {"key", "type", "value"}. */
        List<NewLabel> labels() {
            JsonNode n = root.get("labels");
            List<NewLabel> labels = new ArrayList<>();
            if (n == null || n.isNull()) {
                return labels;
            }
            if (!n.isArray()) {
                problems.add(new Problem("labels", Reason.INVALID_REQUEST, "a list of {\"key\", \"type\", \"value\"}"));
                return labels;
            }
            for (int i = 0; i < n.size(); i++) {
                JsonNode l = n.get(i);
                try {
                    labels.add(new NewLabel(l.path("key").textValue(), Names.parse(LabelType.class, l.path("type").textValue()), l.get("value")));
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem("labels[" + i + "].type", Reason.INVALID_REQUEST, e.getMessage()));
                }
            }
            return labels;
        }

        /** The artifacts field of a bundle: channel (or "*") to {"url", "size", "sha256", "md5"}. */
        Map<String, Artifact> artifacts() {
            JsonNode n = root.get("artifacts");
            Map<String, Artifact> artifacts = new LinkedHashMap<>();
            if (n == null || n.isNull()) {
                return artifacts;
            }
            if (!n.isObject()) {
                problems.add(new Problem("artifacts", Reason.INVALID_REQUEST, "an object: channel (or \"*\") to {\"url\", \"size\", \"sha256\", \"md5\"}"));
                return artifacts;
            }
            n.fields().forEachRemaining(e -> {
                JsonNode a = e.getValue();
                if (!a.path("url").isTextual() || !a.path("sha256").isTextual() || !a.path("size").canConvertToExactIntegral()) {
                    problems.add(new Problem("artifacts." + e.getKey(), Reason.INVALID_REQUEST, "needs url, size and sha256 (md5 optional)"));
                    return;
                }
                artifacts.put(e.getKey(), new Artifact(null, a.get("url").textValue(), a.get("size").asLong(), a.get("sha256").textValue(),
                        a.path("md5").isTextual() ? a.get("md5").textValue() : null));
            });
            return artifacts;
        }

        void problem(String field, String message) {
            problems.add(new Problem(field, Reason.INVALID_REQUEST, message));
        }

        /** Throws 400 naming every problem found so far. */
        void finish() {
            if (!problems.isEmpty()) {
                StringBuilder message = new StringBuilder();
                problems.forEach(p -> message.append(message.isEmpty() ? "" : "; ").append(p.field()).append(": ").append(p.message()));
                throw new ApiError(400, Reason.INVALID_REQUEST, message.toString(), problems, null);
            }
        }
    }

    private ReleaseBodies() {
    }

    private static final JsonBody STRICT = new JsonBody(JsonBody.Limits.defaults().withMaxBytes(Long.MAX_VALUE));

    static Body decode(byte[] bytes, Set<String> fields) {
        // the one strict decoding path (http-input): strict UTF-8, one value, no duplicate keys, bounded depth
        JsonNode root = STRICT.value(bytes);
        if (root == null || !root.isObject()) {
            throw ApiError.field(400, Reason.INVALID_REQUEST, "body", "a JSON object");
        }
        return new Body(root, fields);
    }

    /** An action body: {"action", "percentage", "clientIds", "brands", "key", "type", "value"}. */
    static ActionRequest action(byte[] bytes) {
        Body b = decode(bytes, Set.of("action", "percentage", "clientIds", "brands", "key", "type", "value"));
        String action = b.text("action", true);
        List<String> ids = b.texts("clientIds", false);
        List<String> brands = b.texts("brands", false);
        ActionRequest request = new ActionRequest(action, b.text("percentage", false),
                "set-brands".equals(action) ? (b.node("brands") == null ? null : brands) : (b.node("clientIds") == null ? null : ids),
                b.text("key", false), b.text("type", false), b.node("value"));
        b.finish();
        return request;
    }
}

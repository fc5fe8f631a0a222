package dev.packline.update.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.releases.InstallEvent;
import dev.packline.releases.Names;
import dev.packline.update.http.CallRefused;
import dev.packline.update.http.CallRefused.Problem;
import dev.packline.update.http.CallRefused.Why;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A client report, decoded strictly from its JSON body: an object with exactly the known fields,
 * each of its type, no duplicates, every problem named at once (400). The only place the report's
 * input is decoded, so it is easy to swap for the shared strict decoder.
 * <pre>{"deploymentKey": "dk_...", "releaseId": 42, "event": "failed", "clientId": "...", "reason": "verify_failed"}</pre>
 */
public record ReportBody(String deploymentKey, long releaseId, InstallEvent event, String clientId, String reason) {
    private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> FIELDS = Set.of("deploymentKey", "releaseId", "event", "clientId", "reason");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final Pattern REASON = Pattern.compile("[a-z0-9_-]{1,40}");

    public static ReportBody decode(byte[] body) {
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw CallRefused.of(400, Why.INVALID_REQUEST, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw CallRefused.of(400, Why.INVALID_REQUEST, "the body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw CallRefused.of(400, Why.INVALID_REQUEST, "the body must be a JSON object");
        }
        List<Problem> problems = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add(new Problem(name, Why.INVALID_REQUEST, "unknown field; expected " + String.join(", ", FIELDS.stream().sorted().toList())));
            }
        }
        String key = text(root, "deploymentKey", TOKEN, true, problems);
        JsonNode id = root.get("releaseId");
        long releaseId = 0;
        if (id == null || id.isNull()) {
            problems.add(new Problem("releaseId", Why.MISSING_FIELD, "required: the releaseId the check answered"));
        } else if (!id.canConvertToExactIntegral() || !id.canConvertToLong() || id.asLong() <= 0) {
            problems.add(new Problem("releaseId", Why.INVALID_REQUEST, "a positive whole number"));
        } else {
            releaseId = id.asLong();
        }
        String eventText = text(root, "event", null, true, problems);
        InstallEvent event = null;
        if (eventText != null) {
            try {
                event = Names.parse(InstallEvent.class, eventText);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("event", Why.INVALID_REQUEST, e.getMessage()));
            }
        }
        String clientId = text(root, "clientId", TOKEN, false, problems);
        String reason = text(root, "reason", REASON, false, problems);
        if (reason != null && event != null && event != InstallEvent.FAILED) {
            problems.add(new Problem("reason", Why.INVALID_REQUEST, "only a failed report has a reason"));
        }
        if (!problems.isEmpty()) {
            throw CallRefused.fields(problems);
        }
        return new ReportBody(key, releaseId, event, clientId, reason);
    }

    private static String text(JsonNode root, String field, Pattern shape, boolean required, List<Problem> problems) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                problems.add(new Problem(field, Why.MISSING_FIELD, "required"));
            }
            return null;
        }
        if (!node.isTextual()) {
            problems.add(new Problem(field, Why.INVALID_REQUEST, "a string, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
            return null;
        }
        String v = node.textValue();
        if (shape != null && !shape.matcher(v).matches()) {
            problems.add(new Problem(field, Why.INVALID_REQUEST, "malformed: " + (field.equals("reason")
                    ? "1 to 40 lower-case letters, digits, '_' or '-'" : "1 to 128 letters, digits, '_', '.', ':' or '-'")));
            return null;
        }
        return v;
    }
}

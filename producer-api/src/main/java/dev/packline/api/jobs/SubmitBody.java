package dev.packline.api.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.api.http.ApiError;
import dev.packline.api.http.ApiError.Problem;
import dev.packline.api.http.Json;
import dev.packline.api.http.Reason;
import dev.packline.packaging.OutputNames;
import dev.packline.packaging.PackagingException;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestRules;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads a submit body into a {@link PackagingRequest} and refuses it, naming every field and its
 * problem, when it is not acceptable: too large, not JSON, unknown or missing fields, wrong types,
 * then the request's own checks ({@link PackagingRequest#problems()}), the deployment's
 * ({@link RequestRules#problems}: locations, stores, notification channels, channel cap) and the
 * packager's name template rules. Nothing is enqueued for a refused body.
 */
public final class SubmitBody {
    static final Set<String> FIELDS = Set.of("appId", "mother", "channels", "format", "outputStore", "outputPrefix", "nameTemplate",
            "diffAgainst", "notifyChannels", "notifyLevel");
    private static final List<String> REQUIRED = List.of("appId", "mother", "channels", "outputStore");
    private static final Set<String> CHANNEL_FIELDS = Set.of("name", "extra");
    private static final int MAX_LISTED_PROBLEMS = 100;
    private static final int MAX_APP_ID = 200;

    private SubmitBody() {
    }

    /** The body's bytes, at most {@code maxBytes}; 413 when the declared or actual length is larger. */
    public static byte[] read(ServerRequest req, long maxBytes) throws IOException {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return body;
        }
    }

    private static ApiError tooLarge(long maxBytes) {
        return ApiError.field(413, Reason.BODY_TOO_LARGE, "body", "larger than the limit of " + maxBytes + " bytes");
    }

    /** The request the body describes, with the server-given id and publisher; throws {@link ApiError} listing every problem. */
    public static PackagingRequest parse(byte[] body, String id, String publisher, RequestRules rules) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.field(400, Reason.INVALID_REQUEST, "body", "malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw ApiError.field(400, Reason.INVALID_REQUEST, "body", "unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiError.field(400, Reason.INVALID_REQUEST, "body", "must be a JSON object");
        }
        List<Problem> problems = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add(new Problem(name, Reason.UNKNOWN_FIELD, "unknown field; known fields: " + String.join(", ", FIELDS.stream().sorted().toList())));
            }
        }
        for (String name : REQUIRED) {
            if (!root.hasNonNull(name)) {
                problems.add(new Problem(name, Reason.MISSING_FIELD, "required"));
            }
        }
        String appId = text(root, "appId", problems);
        if (appId != null && (appId.length() > MAX_APP_ID || appId.codePoints().anyMatch(Character::isISOControl))) {
            problems.add(new Problem("appId", Reason.INVALID_REQUEST, "at most " + MAX_APP_ID + " characters, no control characters"));
        }
        List<ChannelSpec> channels = channels(root.get("channels"), rules.maxChannels(), problems);
        PackagingRequest request = new PackagingRequest(id, publisher, appId, text(root, "mother", problems), channels,
                text(root, "format", problems), text(root, "outputStore", problems), text(root, "outputPrefix", problems),
                text(root, "nameTemplate", problems), texts(root, "diffAgainst", problems), texts(root, "notifyChannels", problems),
                text(root, "notifyLevel", problems));
        // the request's own, the deployment's and the template's checks too, for the fields that parsed: all problems at once
        Set<String> flagged = new java.util.HashSet<>();
        problems.forEach(p -> flagged.add(p.field().replaceAll("[\\[.].*$", "")));
        {
            List<String> found = new ArrayList<>(request.problems());
            found.addAll(rules.problems(request));
            try {
                OutputNames.checkTemplate(request.nameTemplate());
            } catch (PackagingException e) {
                found.add("nameTemplate: " + e.getMessage());
            }
            Map<String, Boolean> seen = new LinkedHashMap<>();
            for (String text : found) {
                int colon = text.indexOf(": ");
                String field = colon < 0 ? "body" : text.substring(0, colon);
                String message = colon < 0 ? text : text.substring(colon + 2);
                if (!field.equals("id") && !flagged.contains(field.replaceAll("[\\[.].*$", ""))
                        && seen.putIfAbsent(field, true) == null) { // one problem per field: the first check's
                    problems.add(new Problem(field, Reason.INVALID_REQUEST, message));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw refusal(problems);
        }
        return request;
    }

    private static ApiError refusal(List<Problem> problems) {
        Reason reason = problems.stream().anyMatch(p -> p.reason() == Reason.TOO_MANY_CHANNELS) ? Reason.TOO_MANY_CHANNELS
                : problems.getFirst().reason();
        List<Problem> listed = problems.size() > MAX_LISTED_PROBLEMS ? problems.subList(0, MAX_LISTED_PROBLEMS) : problems;
        String message = problems.size() == 1 ? problems.getFirst().field() + ": " + problems.getFirst().message()
                : problems.size() + " problems with the request" + (listed.size() < problems.size() ? " (the first " + listed.size() + " listed)" : "");
        return new ApiError(400, reason, message, listed, null);
    }

    private static List<ChannelSpec> channels(JsonNode node, int max, List<Problem> problems) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            problems.add(new Problem("channels", Reason.INVALID_REQUEST, "must be a list of channel names or {\"name\", \"extra\"} objects"));
            return List.of();
        }
        if (node.size() > max) {
            problems.add(new Problem("channels", Reason.TOO_MANY_CHANNELS, node.size() + " channels, at most " + max + " per request"));
            return List.of();
        }
        List<ChannelSpec> channels = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = "channels[" + i + "]";
            if (item.isTextual()) {
                channels.add(new ChannelSpec(item.asText(), Map.of()));
            } else if (item.isObject()) {
                for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!CHANNEL_FIELDS.contains(name)) {
                        problems.add(new Problem(at + "." + name, Reason.UNKNOWN_FIELD, "unknown field; a channel object has name and extra"));
                    }
                }
                JsonNode name = item.get("name");
                if (name == null || name.isNull()) {
                    problems.add(new Problem(at + ".name", Reason.MISSING_FIELD, "required"));
                    continue;
                }
                if (!name.isTextual()) {
                    problems.add(new Problem(at + ".name", Reason.INVALID_REQUEST, "must be a string"));
                    continue;
                }
                Map<String, String> extra = new LinkedHashMap<>();
                JsonNode extraNode = item.get("extra");
                if (extraNode != null && !extraNode.isNull()) {
                    if (!extraNode.isObject()) {
                        problems.add(new Problem(at + ".extra", Reason.INVALID_REQUEST, "must be an object of string values"));
                    } else {
                        extraNode.fields().forEachRemaining(e -> {
                            if (!e.getValue().isTextual()) {
                                problems.add(new Problem(at + ".extra." + e.getKey(), Reason.INVALID_REQUEST, "must be a string"));
                            } else if (e.getKey().equals("channel")) {
                                problems.add(new Problem(at + ".extra.channel", Reason.INVALID_REQUEST, "'channel' is the channel's name; use name"));
                            } else {
                                extra.put(e.getKey(), e.getValue().asText());
                            }
                        });
                    }
                }
                channels.add(new ChannelSpec(name.asText(), extra));
            } else {
                problems.add(new Problem(at, Reason.INVALID_REQUEST, "must be a channel name or a {\"name\", \"extra\"} object"));
            }
        }
        return channels;
    }

    private static String text(JsonNode root, String field, List<Problem> problems) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(new Problem(field, Reason.INVALID_REQUEST, "must be a string"));
            return null;
        }
        return node.asText();
    }

    private static List<String> texts(JsonNode root, String field, List<Problem> problems) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            problems.add(new Problem(field, Reason.INVALID_REQUEST, "must be a list of strings"));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                problems.add(new Problem(field + "[" + i + "]", Reason.INVALID_REQUEST, "must be a string"));
            } else {
                out.add(node.get(i).asText());
            }
        }
        return out;
    }
}

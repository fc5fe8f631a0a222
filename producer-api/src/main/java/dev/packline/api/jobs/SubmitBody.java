package dev.packline.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packline.api.http.ApiError;
import dev.packline.api.http.ApiError.Problem;
import dev.packline.api.http.Reason;
import dev.packline.http.input.DistinctNames;
import dev.packline.http.input.ErrorBody;
import dev.packline.http.input.InputProblem;
import dev.packline.http.input.JsonBody;
import dev.packline.http.input.JsonFields;
import dev.packline.http.input.NameRule;
import dev.packline.packaging.OutputNames;
import dev.packline.packaging.PackagingException;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestProblem;
import dev.packline.pipeline.RequestRules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a submit body into a {@link PackagingRequest} and refuses it, naming every field and its
 * problem, when it is not acceptable: the strict decoding of {@link JsonBody} (UTF-8, one value,
 * no duplicate keys, bounded depth), unknown or missing fields and wrong types ({@link JsonFields}),
 * names that could spoof or collide ({@link NameRule}: channel names, the app id and extra keys are
 * NFC-normalised, and two channels alike after normalisation are duplicates), then the request's own
 * checks ({@link PackagingRequest#problems()}), the deployment's ({@link RequestRules#problems}:
 * locations, stores, notification channels, channel cap) and the packager's name template rules.
 * Nothing is enqueued for a refused body.
 */
public final class SubmitBody {
    static final Set<String> FIELDS = Set.of("appId", "mother", "channels", "format", "outputStore", "outputPrefix", "nameTemplate",
            "diffAgainst", "notifyChannels", "notifyLevel", "priority");
    private static final List<String> REQUIRED = List.of("appId", "mother", "channels", "outputStore");
    private static final Set<String> CHANNEL_FIELDS = Set.of("name", "extra");
    private static final NameRule APP_ID = new NameRule(200);
    private static final NameRule CHANNEL_NAME = new NameRule(PackagingRequest.MAX_CHANNEL_NAME);
    private static final NameRule EXTRA_KEY = new NameRule(100);
    /** The output prefix and the name template become parts of object keys and file names. */
    private static final NameRule KEY_PART = new NameRule(500);

    private final JsonBody json;

    public SubmitBody(JsonBody json) {
        this.json = json;
    }

    /** The request the body describes, with the server-given id and publisher; {@link dev.packline.http.input.InputRefusedException} when the body is not one JSON object, {@link ApiError} listing every problem of its fields. */
    public PackagingRequest parse(byte[] body, String id, String publisher, RequestRules rules) {
        ObjectNode root = json.object(body);
        List<InputProblem> found = new ArrayList<>();
        JsonFields fields = new JsonFields(root, found).only(FIELDS).required(REQUIRED);
        String appId = APP_ID.normalise("appId", fields.text("appId"), found);
        JsonNode list = fields.raw("channels");
        Problem tooMany = null;
        List<ChannelSpec> channels = List.of();
        if (list != null && list.isArray() && list.size() > rules.maxChannels()) {
            tooMany = new Problem("channels", Reason.TOO_MANY_CHANNELS, list.size() + " channels, at most " + rules.maxChannels() + " per request");
        } else {
            channels = channels(list, found);
        }
        PackagingRequest request = new PackagingRequest(id, publisher, appId, fields.text("mother"), channels,
                fields.text("format"), fields.text("outputStore"), keyPart("outputPrefix", fields.text("outputPrefix"), found),
                keyPart("nameTemplate", fields.text("nameTemplate"), found), fields.texts("diffAgainst"), fields.texts("notifyChannels"),
                fields.text("notifyLevel"), fields.text("priority"));
        List<Problem> problems = new ArrayList<>(found.stream().map(ApiError::problem).toList());
        if (tooMany != null) {
            problems.add(tooMany);
        }
        // the request's own, the deployment's and the template's checks too, for the fields that parsed: all problems at once,
        // one per field (a field already refused above, or an item of a list refused as a whole, is not judged again)
        Set<String> flagged = new HashSet<>();
        problems.forEach(p -> flagged.add(p.field().replaceAll("\\..*$", "")));
        List<RequestProblem> checks = new ArrayList<>(request.problems());
        checks.addAll(rules.problems(request));
        try {
            OutputNames.checkTemplate(request.nameTemplate());
        } catch (PackagingException e) {
            checks.add(new RequestProblem("nameTemplate", e.getMessage()));
        }
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (RequestProblem check : checks) {
            String field = check.field();
            String message = check.message();
            if (!field.equals("id") && !flagged.contains(field) && !flagged.contains(field.replaceAll("[\\[.].*$", ""))
                    && seen.putIfAbsent(field, true) == null) { // one problem per field: the first check's
                problems.add(new Problem(field, Reason.INVALID_REQUEST, message));
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
        String message = problems.size() == 1 ? problems.getFirst().field() + ": " + problems.getFirst().message()
                : problems.size() + " problems with the request" + (problems.size() > ErrorBody.MAX_LISTED_PROBLEMS
                ? " (the first " + ErrorBody.MAX_LISTED_PROBLEMS + " listed)" : "");
        return new ApiError(400, reason, message, problems, null);
    }

    /** The channels, names normalised; a name that is refused or repeats another after normalisation is a problem of its own entry. */
    private static List<ChannelSpec> channels(JsonNode node, List<InputProblem> problems) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            problems.add(InputProblem.invalid("channels", "must be a list of channel names or {\"name\", \"extra\"} objects"));
            return List.of();
        }
        List<ChannelSpec> channels = new ArrayList<>(node.size());
        DistinctNames distinct = new DistinctNames();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = "channels[" + i + "]";
            String raw;
            Map<String, String> extra = new LinkedHashMap<>();
            if (item.isTextual()) {
                raw = item.textValue();
            } else if (item.isObject()) {
                JsonFields channel = new JsonFields((ObjectNode) item, at, problems).only(CHANNEL_FIELDS).required(List.of("name"));
                raw = channel.text("name");
                extra(channel, extra, problems);
                if (raw == null) {
                    continue;
                }
                at = at + ".name";
            } else {
                problems.add(InputProblem.invalid(at, "must be a channel name or a {\"name\", \"extra\"} object"));
                continue;
            }
            String name = CHANNEL_NAME.normalise(at, raw, problems);
            if (name != null && PackagingRequest.channelNameProblem(name) == null) {
                distinct.add(at, name, problems);
            }
            channels.add(new ChannelSpec(name == null ? raw : name, extra));
        }
        return channels;
    }

    /** An optional part of object keys: absent or empty stays so, anything else follows the name rule. */
    private static String keyPart(String field, String raw, List<InputProblem> problems) {
        return raw == null || raw.isEmpty() ? raw : KEY_PART.normalise(field, raw, problems);
    }

    private static void extra(JsonFields channel, Map<String, String> extra, List<InputProblem> problems) {
        JsonFields fields = channel.object("extra");
        if (fields == null) {
            return;
        }
        JsonNode node = channel.raw("extra");
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            String value = fields.text(key);
            String at = fields.at(key);
            if (key.equals("channel")) {
                problems.add(InputProblem.invalid(at, "'channel' is the channel's name; use name"));
            } else if (value != null) {
                String normalisedKey = EXTRA_KEY.normalise(at, key, problems);
                if (normalisedKey != null) {
                    extra.put(normalisedKey, value);
                }
            }
        }
    }
}

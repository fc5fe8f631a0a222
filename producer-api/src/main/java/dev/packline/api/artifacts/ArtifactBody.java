package dev.packline.api.artifacts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packline.api.http.ApiError;
import dev.packline.api.http.ApiError.Problem;
import dev.packline.api.http.Reason;
import dev.packline.http.input.InputProblem;
import dev.packline.http.input.JsonBody;
import dev.packline.http.input.JsonFields;
import dev.packline.http.input.NameRule;
import dev.packline.pipeline.RequestProblem;
import dev.packline.pipeline.RequestRules;
import dev.packline.pipeline.artifact.ArtifactKind;
import dev.packline.pipeline.artifact.ArtifactSubmission;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a bundle or offline package submission ({@code POST /v1/artifacts}) through the shared
 * strict path: {@link JsonBody} (UTF-8, one object, no duplicate keys, bounded), {@link JsonFields}
 * (unknown, missing and mistyped fields), {@link NameRule} for the names that become object keys,
 * then the submission's own checks and the deployment's ({@link RequestRules}: where the file may
 * come from, which stores exist). Every problem is named at once; nothing is recorded for a refused body.
 */
final class ArtifactBody {
    static final Set<String> FIELDS = Set.of("appId", "kind", "name", "version", "location", "outputStore", "outputPrefix", "increments");
    private static final List<String> REQUIRED = List.of("appId", "kind", "name", "version", "location", "outputStore");
    private static final NameRule APP_ID = new NameRule(200);
    private static final NameRule KEY_PART = new NameRule(500);

    private final JsonBody json;

    ArtifactBody(JsonBody json) {
        this.json = json;
    }

    ArtifactSubmission parse(byte[] body, String id, String publisher, RequestRules rules) {
        ObjectNode root = json.object(body);
        List<InputProblem> found = new ArrayList<>();
        JsonFields fields = new JsonFields(root, found).only(FIELDS).required(REQUIRED);
        String appId = APP_ID.normalise("appId", fields.text("appId"), found);
        String kindText = fields.text("kind");
        ArtifactKind kind = kindText == null ? null : ArtifactKind.byWireName(kindText).filter(k -> k != ArtifactKind.APK).orElse(null);
        if (kindText != null && kind == null) {
            found.add(InputProblem.invalid("kind", "bundle or offline, got '" + kindText + "' (APKs are packaged through POST /v1/jobs)"));
        }
        String prefix = fields.text("outputPrefix");
        prefix = prefix == null || prefix.isEmpty() ? prefix : KEY_PART.normalise("outputPrefix", prefix, found);
        int increments = (int) fields.wholeNumber("increments", 0, ArtifactSubmission.MAX_INCREMENTS, ArtifactSubmission.DEFAULT_INCREMENTS);
        ArtifactSubmission submission = new ArtifactSubmission(id, publisher, appId, kind, fields.text("name"), fields.text("version"),
                fields.text("location"), fields.text("outputStore"), prefix, increments);
        List<Problem> problems = new ArrayList<>(found.stream().map(ApiError::problem).toList());
        Set<String> flagged = new HashSet<>();
        problems.forEach(p -> flagged.add(p.field()));
        List<RequestProblem> checks = new ArrayList<>(submission.problems());
        String location = submission.location() == null ? null : rules.locationProblem(submission.location());
        if (location != null) {
            checks.add(new RequestProblem("location", location));
        }
        if (submission.outputStore() != null && !rules.stores().contains(submission.outputStore())) {
            checks.add(new RequestProblem("outputStore", "no store '" + submission.outputStore() + "' is configured; stores: " + rules.stores()));
        }
        for (RequestProblem check : checks) {
            if (!check.field().equals("id") && flagged.add(check.field())) { // one problem per field: the first found
                problems.add(new Problem(check.field(), Reason.INVALID_REQUEST, check.message()));
            }
        }
        if (!problems.isEmpty()) {
            String message = problems.size() == 1 ? problems.getFirst().field() + ": " + problems.getFirst().message()
                    : problems.size() + " problems with the submission";
            throw new ApiError(400, problems.getFirst().reason(), message, problems, null);
        }
        return submission;
    }
}

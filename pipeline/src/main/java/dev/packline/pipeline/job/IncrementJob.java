package dev.packline.pipeline.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.artifact.ArtifactKind;
import dev.packline.pipeline.artifact.PatchFormat;

/**
 * Make one increment (on the diff queue, {@code "job": "increment"}) from the file at {@code from}
 * to the file at {@code to}, in {@code format}, stored under {@code objectKey} and recorded by the
 * pair's SHA-256s: a bundle increment (chunk, bsdiff-gz), an offline package patch, or an APK
 * patch between two channel APKs or mothers (zip-aware, bsdiff). {@code requestId} names who asked
 * (a submission id, or {@code on-demand:...} for the update API); the increment serves everyone
 * with the pair. The SHA-256s are {@code fromSha256}/{@code toSha256}, not a diff job's mother
 * pair: a failed increment must not end a request's mother patch.
 */
@JsonPropertyOrder({"payloadVersion", "job", "requestId", "format", "from", "to", "fromSha256", "toSha256", "outputStore", "objectKey"})
public record IncrementJob(@JsonProperty(required = true) int payloadVersion,
                           @JsonProperty(required = true) String requestId,
                           @JsonProperty(required = true) PatchFormat format,
                           @JsonProperty(required = true) String from,
                           @JsonProperty(required = true) String to,
                           @JsonProperty(required = true) String fromSha256,
                           @JsonProperty(required = true) String toSha256,
                           @JsonProperty(required = true) String outputStore,
                           @JsonProperty(required = true) String objectKey) implements StageJob {
    /** The {@code job} field's value that tells an increment job from a mother diff job on the diff queue. */
    public static final String JOB = "increment";

    public static IncrementJob of(String requestId, PatchFormat format, String from, String to, String fromSha256, String toSha256,
                                  String outputStore, String objectKey) {
        return new IncrementJob(StageJobs.PAYLOAD_VERSION, requestId, format, from, to, fromSha256, toSha256, outputStore, objectKey);
    }

    /** The object key of the increment of a pair under a prefix: one object per (format, pair), whoever asks. */
    public static String objectKey(String prefix, PatchFormat format, String fromSha256, String toSha256) {
        return prefix + "increments/" + format.wireName() + "/" + fromSha256 + "-" + toSha256 + format.extension();
    }

    @JsonIgnore
    public ArtifactKind kind() {
        return format.kind();
    }

    /** Its deterministic id: asked twice (two checks, two instances), it is one job. */
    @JsonIgnore
    public String jobId() {
        return Stage.incrementJobId(format.wireName(), fromSha256, toSha256);
    }

    @JsonProperty("job")
    public String job() {
        return JOB;
    }

    @Override
    @JsonIgnore
    public Stage stage() {
        return Stage.DIFF;
    }
}

package dev.packline.pipeline.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.artifact.ArtifactKind;
import dev.packline.pipeline.artifact.ArtifactSubmission;

/**
 * Store a submitted bundle or offline package (on the upload queue, {@code "job": "artifact"}):
 * fetch it, check it for its kind, upload it, record it as its name's newest version, and plan the
 * increments from the earlier versions on the diff queue. {@code requestId} is the submission's id.
 */
@JsonPropertyOrder({"payloadVersion", "job", "requestId", "appId", "kind", "name", "version", "location", "outputStore", "outputPrefix",
        "increments"})
public record ArtifactJob(@JsonProperty(required = true) int payloadVersion,
                          @JsonProperty(required = true) String requestId,
                          @JsonProperty(required = true) String appId,
                          @JsonProperty(required = true) ArtifactKind kind,
                          @JsonProperty(required = true) String name,
                          @JsonProperty(required = true) String version,
                          @JsonProperty(required = true) String location,
                          @JsonProperty(required = true) String outputStore,
                          String outputPrefix,
                          @JsonProperty(required = true) int increments) implements StageJob {
    /** The {@code job} field's value that tells an artifact job from a channel upload on the upload queue. */
    public static final String JOB = "artifact";

    public ArtifactJob {
        outputPrefix = outputPrefix == null ? "" : outputPrefix;
    }

    public static ArtifactJob of(ArtifactSubmission s) {
        return new ArtifactJob(StageJobs.PAYLOAD_VERSION, s.id(), s.appId(), s.kind(), s.name(), s.version(), s.location(), s.outputStore(),
                s.outputPrefix(), s.increments());
    }

    /** The submission it stores (the publisher is not needed past the API). */
    public ArtifactSubmission submission() {
        return new ArtifactSubmission(requestId, "", appId, kind, name, version, location, outputStore, outputPrefix, increments);
    }

    @JsonProperty("job")
    public String job() {
        return JOB;
    }

    @Override
    @JsonIgnore
    public Stage stage() {
        return Stage.UPLOAD;
    }
}

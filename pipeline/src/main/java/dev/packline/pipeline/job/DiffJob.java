package dev.packline.pipeline.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.packline.pipeline.Stage;

/** Make the patch from one mother to another ({@code old}, {@code new}: their locations), stored under {@code objectKey}. */
@JsonPropertyOrder({"payloadVersion", "requestId", "old", "new", "oldSha256", "newSha256", "outputStore", "objectKey"})
public record DiffJob(@JsonProperty(required = true) int payloadVersion,
                      @JsonProperty(required = true) String requestId,
                      @JsonProperty(value = "old", required = true) String oldMother,
                      @JsonProperty(value = "new", required = true) String newMother,
                      @JsonProperty(required = true) String oldSha256,
                      @JsonProperty(required = true) String newSha256,
                      @JsonProperty(required = true) String outputStore,
                      @JsonProperty(required = true) String objectKey) implements StageJob {


    public static DiffJob of(String requestId, String oldMother, String newMother, String oldSha256, String newSha256, String outputStore,
                             String objectKey) {
        return new DiffJob(StageJobs.PAYLOAD_VERSION, requestId, oldMother, newMother, oldSha256, newSha256, outputStore, objectKey);
    }

    @Override
    @JsonIgnore
    public Stage stage() {
        return Stage.DIFF;
    }
}

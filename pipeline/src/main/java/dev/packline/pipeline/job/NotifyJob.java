package dev.packline.pipeline.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.packline.pipeline.Stage;

/** Send a finished request's summary. */
@JsonPropertyOrder({"payloadVersion", "requestId"})
public record NotifyJob(@JsonProperty(required = true) int payloadVersion, @JsonProperty(required = true) String requestId) implements StageJob {


    public static NotifyJob of(String requestId) {
        return new NotifyJob(StageJobs.PAYLOAD_VERSION, requestId);
    }

    @Override
    @JsonIgnore
    public Stage stage() {
        return Stage.NOTIFY;
    }
}

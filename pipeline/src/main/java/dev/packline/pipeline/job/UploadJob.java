package dev.packline.pipeline.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.Stage;

import java.util.Map;

/**
 * Upload one packaged channel: its package job's fields (flat, as they always were) plus the
 * mother's SHA-256 it was packaged from, the object key, and the channel APK's size and SHA-256.
 */
@JsonPropertyOrder({"payloadVersion", "requestId", "index", "channel", "extra", "mother", "format", "nameTemplate", "outputStore", "outputPrefix",
        "motherSha256", "objectKey", "bytes", "sha256"})
public record UploadJob(@JsonProperty(required = true) int payloadVersion,
                        @JsonProperty(required = true) String requestId,
                        @JsonProperty(required = true) int index,
                        @JsonProperty(value = "channel", required = true) String channelName,
                        Map<String, String> extra,
                        @JsonProperty(required = true) String mother,
                        @JsonProperty(required = true) String format,
                        @JsonProperty(required = true) String nameTemplate,
                        @JsonProperty(required = true) String outputStore,
                        String outputPrefix,
                        @JsonProperty(required = true) String motherSha256,
                        @JsonProperty(required = true) String objectKey,
                        @JsonProperty(required = true) long bytes,
                        @JsonProperty(required = true) String sha256) implements ChannelJob {

    public UploadJob {
        StageJobs.required(requestId, "requestId");
        StageJobs.required(channelName, "channel");
        StageJobs.required(mother, "mother");
        StageJobs.required(format, "format");
        StageJobs.required(nameTemplate, "nameTemplate");
        StageJobs.required(outputStore, "outputStore");
        StageJobs.required(motherSha256, "motherSha256");
        StageJobs.required(objectKey, "objectKey");
        StageJobs.required(sha256, "sha256");
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        outputPrefix = outputPrefix == null ? "" : outputPrefix;
    }

    @Override
    @JsonIgnore
    public ChannelSpec channel() {
        return new ChannelSpec(channelName, extra);
    }

    @Override
    @JsonIgnore
    public Stage stage() {
        return Stage.UPLOAD;
    }
}

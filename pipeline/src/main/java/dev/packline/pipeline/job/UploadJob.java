package dev.packline.pipeline.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.packline.pipeline.Stage;

import java.util.Map;

/**
 * Upload one packaged channel: its package job's fields (flat, as they always were) plus the
 * mother's SHA-256 it was packaged from, the object key, and the channel APK's size and SHA-256.
 * {@code priority} and {@code group} are the package job's (optional, see {@link PackageJob}).
 */
@JsonPropertyOrder({"payloadVersion", "requestId", "index", "channel", "extra", "mother", "format", "nameTemplate", "outputStore", "outputPrefix",
        "motherSha256", "objectKey", "bytes", "sha256", "priority", "group"})
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
                        @JsonProperty(required = true) String sha256,
                        String priority,
                        String group) implements ChannelJob {

    public UploadJob {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        outputPrefix = outputPrefix == null ? "" : outputPrefix;
    }

    @Override
    @JsonIgnore
    public Stage stage() {
        return Stage.UPLOAD;
    }
}

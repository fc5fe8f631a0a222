package dev.packline.pipeline.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.Stage;

import java.util.Map;

/**
 * Package one channel: everything the stage needs, so it never reads the request first. In JSON
 * the channel is flat ({@code channel} is its name, {@code extra} its key-values), as it always was.
 * {@code outputStore} may be empty here (the request names none): the upload stage refuses that.
 */
@JsonPropertyOrder({"payloadVersion", "requestId", "index", "channel", "extra", "mother", "format", "nameTemplate", "outputStore", "outputPrefix"})
public record PackageJob(@JsonProperty(required = true) int payloadVersion,
                         @JsonProperty(required = true) String requestId,
                         @JsonProperty(required = true) int index,
                         @JsonProperty(value = "channel", required = true) String channelName,
                         Map<String, String> extra,
                         @JsonProperty(required = true) String mother,
                         @JsonProperty(required = true) String format,
                         @JsonProperty(required = true) String nameTemplate,
                         String outputStore,
                         String outputPrefix) implements ChannelJob {

    public PackageJob {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        outputPrefix = outputPrefix == null ? "" : outputPrefix;
    }

    /** The package job of channel {@code index} of a validated request. */
    public static PackageJob of(PackagingRequest request, int index) {
        ChannelSpec channel = request.channels().get(index);
        return new PackageJob(StageJobs.PAYLOAD_VERSION, request.id(), index, channel.name(), channel.extra(), request.mother(),
                request.format(), request.nameTemplate(), request.outputStore(), request.outputPrefix());
    }

    @Override
    @JsonIgnore
    public Stage stage() {
        return Stage.PACKAGE;
    }

    /** The channel's upload, once it is packaged: this job plus what packaging learnt. */
    public UploadJob upload(String motherSha256, String objectKey, long bytes, String sha256) {
        return new UploadJob(StageJobs.PAYLOAD_VERSION, requestId, index, channelName, extra, mother, format, nameTemplate, outputStore,
                outputPrefix, motherSha256, objectKey, bytes, sha256);
    }
}

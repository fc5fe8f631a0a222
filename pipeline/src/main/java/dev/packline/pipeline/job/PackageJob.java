package dev.packline.pipeline.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.Stage;
import dev.packline.queue.Priority;

import java.util.Map;

/**
 * Package one channel: everything the stage needs, so it never reads the request first. In JSON
 * the channel is flat ({@code channel} is its name, {@code extra} its key-values), as it always was.
 * {@code outputStore} may be empty here (the request names none): the upload stage refuses that.
 * {@code priority} and {@code group} (the request's priority and publisher) are optional: the
 * channel's later stage jobs wait at that level in that fair-share group too, so a hotfix's uploads
 * do not queue behind another publisher's bulk; a job written before they existed has none
 * (normal, the default group).
 */
@JsonPropertyOrder({"payloadVersion", "requestId", "index", "channel", "extra", "mother", "format", "nameTemplate", "outputStore", "outputPrefix",
        "priority", "group"})
public record PackageJob(@JsonProperty(required = true) int payloadVersion,
                         @JsonProperty(required = true) String requestId,
                         @JsonProperty(required = true) int index,
                         @JsonProperty(value = "channel", required = true) String channelName,
                         Map<String, String> extra,
                         @JsonProperty(required = true) String mother,
                         @JsonProperty(required = true) String format,
                         @JsonProperty(required = true) String nameTemplate,
                         String outputStore,
                         String outputPrefix,
                         String priority,
                         String group) implements ChannelJob {

    public PackageJob {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        outputPrefix = outputPrefix == null ? "" : outputPrefix;
    }

    /** A job without priority or group (normal, the default group), as written before they existed. */
    public PackageJob(int payloadVersion, String requestId, int index, String channelName, Map<String, String> extra, String mother,
                      String format, String nameTemplate, String outputStore, String outputPrefix) {
        this(payloadVersion, requestId, index, channelName, extra, mother, format, nameTemplate, outputStore, outputPrefix, null, null);
    }

    /** The package job of channel {@code index} of a validated request. */
    public static PackageJob of(PackagingRequest request, int index) {
        ChannelSpec channel = request.channels().get(index);
        return new PackageJob(StageJobs.PAYLOAD_VERSION, request.id(), index, channel.name(), channel.extra(), request.mother(),
                request.format(), request.nameTemplate(), request.outputStore(), request.outputPrefix(), request.priority(), request.publisher());
    }

    @Override
    @JsonIgnore
    public Stage stage() {
        return Stage.PACKAGE;
    }

    /** The level of this channel's stage jobs: normal when the payload names none. */
    @JsonIgnore
    public Priority queuePriority() {
        return priority == null ? Priority.NORMAL : Priority.parse(priority);
    }

    /** The channel's upload, once it is packaged: this job plus what packaging learnt. */
    public UploadJob upload(String motherSha256, String objectKey, long bytes, String sha256) {
        return new UploadJob(this, new UploadJob.Packaged(motherSha256, objectKey, bytes, sha256));
    }
}

package dev.packline.pipeline.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.packline.pipeline.Stage;

import java.util.Map;
import java.util.Objects;

/**
 * Upload one packaged channel: the channel's package job and what packaging learnt. In JSON it is
 * one flat object, as it always was: the package job's fields plus {@link Packaged}'s
 * ({@link StageJobs} joins and splits them). Unlike a package job, an upload job must name its
 * output store.
 */
public record UploadJob(PackageJob packageJob, Packaged packaged) implements ChannelJob {

    /**
     * What the package stage learnt: the mother's SHA-256 it packaged from, the object key, and the
     * channel APK's size and SHA-256.
     */
    public record Packaged(@JsonProperty(required = true) String motherSha256,
                           @JsonProperty(required = true) String objectKey,
                           @JsonProperty(required = true) long bytes,
                           @JsonProperty(required = true) String sha256) {
    }

    public UploadJob {
        Objects.requireNonNull(packageJob, "packageJob");
        Objects.requireNonNull(packaged, "packaged");
    }

    @Override
    public String requestId() {
        return packageJob.requestId();
    }

    @Override
    public int payloadVersion() {
        return packageJob.payloadVersion();
    }

    @Override
    public int index() {
        return packageJob.index();
    }

    @Override
    public String channelName() {
        return packageJob.channelName();
    }

    @Override
    public Map<String, String> extra() {
        return packageJob.extra();
    }

    @Override
    public Stage stage() {
        return Stage.UPLOAD;
    }
}

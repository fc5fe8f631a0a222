package dev.packline.pipeline.job;

import dev.packline.pipeline.ChannelSpec;

import java.util.Map;

/** A job about one channel of a request (package, upload): what dead-letter handling needs to end that channel. */
public sealed interface ChannelJob extends StageJob permits PackageJob, UploadJob {
    /** The channel's position in the request. */
    int index();

    /** The channel's name ({@code channel} in JSON). */
    String channelName();

    /** The key-values written beside the channel's name. */
    Map<String, String> extra();

    default ChannelSpec channel() {
        return new ChannelSpec(channelName(), extra());
    }
}

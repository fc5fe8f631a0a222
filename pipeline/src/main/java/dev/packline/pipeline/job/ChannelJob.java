package dev.packline.pipeline.job;

import dev.packline.pipeline.ChannelSpec;

/** A job about one channel of a request (package, upload): what dead-letter handling needs to end that channel. */
public sealed interface ChannelJob extends StageJob permits PackageJob, UploadJob {
    /** The channel's position in the request. */
    int index();

    ChannelSpec channel();
}

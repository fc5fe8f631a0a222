package dev.packline.worker.stage;

import java.util.Objects;

/**
 * What one handler version of the stages is made of: the channel writer (the package stage writes
 * with it, the upload stage rebuilds with it) and the patch maker (the diff stage). A worker is
 * given these by handler version; its configuration ({@code queues.NAME.handlers}, mixed mode)
 * says which handler version serves which queue versions, and a shadow run's candidate version
 * runs its handler version's tools on the copies ({@link StageHandlers}).
 */
public record HandlerTools(ChannelBuilder channels, PatchMaker patches) {
    public HandlerTools {
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(patches, "patches");
    }
}

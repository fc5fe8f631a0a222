package dev.packline.worker.stage;

import dev.packline.pipeline.ChannelSpec;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.worker.mother.Mother;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Writes one verified channel APK from a cached mother (the packaging library does the work). The
 * output is a pure function of (mother, channel, format), so any worker can rebuild the same bytes.
 */
public interface ChannelBuilder {

    /** A channel APK written to disk and verified. */
    record Built(String fileName, Path file, long bytes, String sha256) {
    }

    /**
     * @throws RejectJobException when the mother or the channel can never produce a valid APK
     *                            (not signed, v4 only, bad channel name...): no retry can help
     */
    Built build(Mother mother, ChannelSpec channel, String format, String nameTemplate, Path outDir)
            throws RejectJobException, IOException;

    /** A channel APK as the mother's first {@code prefixLength} bytes plus a new tail, for part-copy uploads. */
    record Tail(long prefixLength, byte[] bytes) {
    }

    /**
     * The channel's tail without writing the APK; empty when the mother's format keeps the channel
     * elsewhere (v1-only mothers), and the caller uploads a built file instead.
     */
    Optional<Tail> tail(Mother mother, ChannelSpec channel, String format) throws RejectJobException, IOException;
}

package dev.packline.worker.stage;

import dev.packline.pipeline.ChannelSpec;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.worker.mother.Mother;

import java.io.IOException;
import java.nio.file.Path;

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
}

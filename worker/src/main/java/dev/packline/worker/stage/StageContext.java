package dev.packline.worker.stage;

import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.worker.metrics.PipelineMetrics;
import dev.packline.queue.QueueClient;
import dev.packline.storage.ObjectStore;
import dev.packline.notify.AlertChannel;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.worker.mother.Mother;
import dev.packline.worker.mother.MotherCache;
import dev.packline.worker.mother.MotherRejectedException;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.LoggerFactory;

import java.io.IOException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * What the stage handlers share: request state, the queues to enqueue the next stage, the mother
 * cache, the object stores, where to write work files, and the limits that keep disk-heavy and
 * network-heavy work from starving each other across all stages of the worker. Each store also
 * bounds its own concurrent part requests, across all jobs; {@code zeroCopy} turns on channel
 * objects built server-side from the staged mother.
 */
public record StageContext(RequestStore requests, QueueClient queues, MotherCache mothers, Map<String, ObjectStore> stores,
                           ChannelBuilder channels, PatchMaker patches, AlertChannel notifications, Path workDir,
                           Semaphore diskSlots, Semaphore networkSlots, int maxAttempts, Duration jobTimeout, MeterRegistry metrics,
                           boolean zeroCopy) {

    /**
     * Records one stage outcome of one channel (see {@link RequestStore#progress}) and counts what
     * it ended: the channel, when the call was recorded and terminal, and the request, for the one
     * call that finished it (its final state is read back once).
     */
    public RequestStore.Progress progress(String requestId, int channel, Stage stage, RequestStore.Outcome outcome, Map<String, Object> result,
                                          boolean terminal) {
        RequestStore.Progress progress = requests.progress(requestId, channel, stage, outcome, result, terminal);
        if (progress.recorded() && (terminal || outcome != RequestStore.Outcome.DONE)) {
            PipelineMetrics.channelEnded(metrics, outcome.name().toLowerCase(Locale.ROOT));
        }
        if (progress.finishedNow()) {
            requestFinished(requestId);
        }
        return progress;
    }

    /** Counts a request that just finished, by its final state (read back once). */
    public void requestFinished(String requestId) {
        try {
            requests.summary(requestId).map(RequestStore.Summary::state).ifPresent(state -> PipelineMetrics.requestFinished(metrics, state));
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(StageContext.class).warn("request {} finished, but its state could not be read for the metrics: {}",
                    requestId, e.toString());
        }
    }

    /** The configured store of that name; a job naming another one is bad input. */
    public ObjectStore store(String name) throws RejectJobException {
        ObjectStore store = stores.get(name);
        if (store == null) {
            throw new RejectJobException("output store '" + name + "' is not configured; stores: " + stores.keySet());
        }
        return store;
    }

    /** The mother at a location, from the cache; a location that can never be fetched is bad input. */
    public Mother mother(String location) throws RejectJobException, IOException, InterruptedException {
        try {
            return mothers.fetch(location);
        } catch (MotherRejectedException e) {
            throw new RejectJobException(e.getMessage(), e);
        }
    }

    /** The same context with another channel writer and patch maker: another handler version of the stages (mixed mode, shadow runs). */
    public StageContext withTools(ChannelBuilder otherChannels, PatchMaker otherPatches) {
        return new StageContext(requests, queues, mothers, stores, otherChannels, otherPatches, notifications, workDir, diskSlots, networkSlots,
                maxAttempts, jobTimeout, metrics, zeroCopy);
    }
}

package dev.packline.worker.stage;

import dev.packline.pipeline.RequestStore.Outcome;
import dev.packline.pipeline.RequestNotFoundException;
import dev.packline.pipeline.Stage;
import dev.packline.pipeline.job.JobIdentity;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.queue.JobRecord;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueBroker.DeadLetterEvent;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.upgrade.ShadowRun;
import dev.packline.queue.worker.WorkerEvents;
import dev.packline.redis.PeriodicTask;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one owner of "a channel failed" and "a patch failed": whenever a package or upload job is
 * dead-lettered, by whatever path (rejected as bad input, attempts used up, hard timeout, its
 * worker lost on the last attempt), this marks the channel dead in its request, and the request
 * finished when it was the last piece of work; a dead diff job marks its patch failed in every
 * request waiting for it. A job an admin cancelled ({@code admin job cancel}) ends the same way,
 * as cancelled: its channel ends cancelled, its patch failed with the reason "cancelled by an admin". Reads the dead-letter events through its own consumer group, acknowledging
 * each only after the request state has it.
 */
public final class StageDeadLetters extends PeriodicTask {
    static final String GROUP = "pipeline";

    private final QueueBroker broker;
    private final StageContext ctx;
    private final List<QueueVersion> queues;
    private final String consumer;
    private final ArtifactDeadLetters artifacts;

    public StageDeadLetters(QueueBroker broker, StageContext ctx, List<QueueVersion> queues, String consumer, WorkerEvents events,
                            ArtifactDeadLetters artifacts) {
        super("stage-dead-letters", Duration.ofSeconds(1), events);
        this.broker = broker;
        this.ctx = ctx;
        this.queues = queues.stream().filter(q -> q.name().equals(Stage.PACKAGE.queueName()) || q.name().equals(Stage.UPLOAD.queueName())
                || q.name().equals(Stage.DIFF.queueName())).toList();
        this.consumer = consumer;
        this.artifacts = artifacts;
    }

    @Override
    protected void runOnce() {
        for (QueueVersion queue : queues) {
            List<DeadLetterEvent> events = broker.claimDeadLetterEvents(queue, GROUP, consumer, 200);
            for (DeadLetterEvent event : events) {
                record(queue, event);
                broker.acknowledgeDeadLetterEvents(queue, GROUP, List.of(event.streamId()));
            }
        }
    }

    private void record(QueueVersion queue, DeadLetterEvent event) {
        if (ShadowRun.isShadowJob(event.jobId())) {
            // a shadow copy (worker lost on its last attempt, hard timeout, an admin's cancel) owns no
            // channel: the real job it copies ends its channel, whatever happens to the copy
            log.info("shadow job {} on {} ended as {}; the real job's channel is not touched", event.jobId(), queue, event.kind());
            return;
        }
        boolean cancelled = event.kind() == DeadLetterEvent.Kind.CANCELLED;
        // a cancelled job's payload travels in its event; a dead letter's stays with the dead letter
        String text = cancelled ? event.payload().orElse(null)
                : broker.job(queue, event.jobId()).map(JobRecord::payload).orElse(null);
        if (text == null) {
            log.warn("{} job {} on {} has no payload left (trimmed); its request cannot be updated",
                    cancelled ? "cancelled" : "dead-lettered", event.jobId(), queue);
            return;
        }
        if (artifacts.record(text, String.valueOf(event.error()))) {
            return; // a submitted bundle's or an increment's job: no request channel or mother patch to end
        }
        // leniently: a job rejected for a malformed payload still ends the channel or patch it names
        JobIdentity payload = StageJobs.identify(text).orElse(null);
        if (payload == null) {
            return; // a payload that is not a JSON object was rejected for that; it names no request
        }
        Stage stage = Stage.valueOf(queue.name().toUpperCase(Locale.ROOT));
        if (stage == Stage.DIFF) {
            // one patch serves every request with the pair: each waiting one learns it failed, and may finish
            payload.motherPair().ifPresent(pair -> Notify.ifFinished(ctx,
                    ctx.requests().recordDiffFailure(pair.oldSha256(), pair.newSha256(), String.valueOf(event.error()))));
            return;
        }
        if (payload.requestId().isEmpty() || payload.index().isEmpty()) {
            return;
        }
        String requestId = payload.requestId().get();
        try {
            Notify.ifFinished(ctx, requestId, ctx.progress(requestId, payload.index().get(), stage, cancelled ? Outcome.CANCELLED : Outcome.DEAD,
                    Map.of("channel", payload.channel().orElse(""), "error", String.valueOf(event.error()),
                            "attempts", event.attempts(), "stage", stage.queueName()), true));
        } catch (RequestNotFoundException e) {
            log.warn("{} job {} names request {}, which no longer exists", cancelled ? "cancelled" : "dead-lettered", event.jobId(), requestId);
        }
    }
}

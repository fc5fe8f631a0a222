package dev.packline.worker.stage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.pipeline.RequestStore.Outcome;
import dev.packline.pipeline.Stage;
import dev.packline.queue.JobRecord;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueBroker.DeadLetterEvent;
import dev.packline.queue.QueueVersion;
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
 * request waiting for it. Reads the dead-letter events through its own consumer group, acknowledging
 * each only after the request state has it.
 */
public final class StageDeadLetters extends PeriodicTask {
    static final String GROUP = "pipeline";

    private final QueueBroker broker;
    private final StageContext ctx;
    private final List<QueueVersion> queues;
    private final String consumer;

    public StageDeadLetters(QueueBroker broker, StageContext ctx, List<QueueVersion> queues, String consumer, WorkerEvents events) {
        super("stage-dead-letters", Duration.ofSeconds(1), events);
        this.broker = broker;
        this.ctx = ctx;
        this.queues = queues.stream().filter(q -> q.name().equals(Stage.PACKAGE.queueName()) || q.name().equals(Stage.UPLOAD.queueName())
                || q.name().equals(Stage.DIFF.queueName())).toList();
        this.consumer = consumer;
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
        JobRecord job = broker.job(queue, event.jobId()).orElse(null);
        if (job == null || job.payload() == null) {
            log.warn("dead letter {} on {} has no payload left (trimmed); its request cannot be updated", event.jobId(), queue);
            return;
        }
        JsonNode payload;
        try {
            payload = Payload.JSON.readTree(job.payload());
        } catch (Exception e) {
            return; // a payload that is not JSON was rejected for that; it names no request
        }
        Stage stage = Stage.valueOf(queue.name().toUpperCase(Locale.ROOT));
        if (stage == Stage.DIFF) {
            if (payload.hasNonNull("oldSha256") && payload.hasNonNull("newSha256")) {
                // one patch serves every request with the pair: each waiting one learns it failed, and may finish
                Notify.ifFinished(ctx, ctx.requests().recordDiffFailure(payload.get("oldSha256").asText(),
                        payload.get("newSha256").asText(), String.valueOf(event.error())));
            }
            return;
        }
        if (!payload.hasNonNull("requestId") || !payload.has("index")) {
            return;
        }
        String requestId = payload.get("requestId").asText();
        try {
            Notify.ifFinished(ctx, requestId, ctx.progress(requestId, payload.get("index").asInt(), stage, Outcome.DEAD,
                    Map.of("channel", payload.path("channel").asText(), "error", String.valueOf(event.error()),
                            "attempts", event.attempts(), "stage", stage.queueName()), true));
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not exist")) {
                log.warn("dead letter {} names request {}, which no longer exists", event.jobId(), requestId);
                return;
            }
            throw e;
        }
    }
}

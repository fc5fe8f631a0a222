package dev.packline.worker.stage;

import dev.packline.pipeline.job.IncrementJob;
import dev.packline.queue.Job;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.worker.mother.Mother;

/**
 * The diff queue's increment jobs (bundle increments, offline package patches, APK patches between
 * channel APKs or mothers, zip-aware or bsdiff): one job per (format, from, to), whoever asked (a
 * submission planning its increments, an update API instance asking on demand). An increment
 * already recorded is not made again (a redelivery, or a second asker after the queue forgot the
 * first job). The job's dead letter is recorded as the pair's failure by {@link ArtifactDeadLetters}.
 */
public final class IncrementStage implements JobHandler {
    private final StageContext ctx;
    private final IncrementPublisher publisher;

    public IncrementStage(StageContext ctx, IncrementPublisher publisher) {
        this.ctx = ctx;
        this.publisher = publisher;
    }

    @Override
    public void handle(Job job) throws Exception {
        IncrementJob p = Payload.read(job, IncrementJob.class);
        if (publisher.increments().find(p.format(), p.fromSha256(), p.toSha256()).isPresent()) {
            return;
        }
        Mother from = ctx.mother(p.from());
        Mother to = ctx.mother(p.to());
        if (!from.sha256().equals(p.fromSha256()) || !to.sha256().equals(p.toSha256())) {
            throw new RejectJobException("the files at " + p.from() + " and " + p.to() + " are not the ones the increment was asked for "
                    + "(SHA-256 " + from.sha256() + " and " + to.sha256() + ")");
        }
        publisher.publish(p.format(), from, to, ctx.store(p.outputStore()), p.objectKey());
    }
}

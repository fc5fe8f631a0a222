package dev.packline.queue.upgrade;

import dev.packline.queue.Enqueued;
import dev.packline.queue.Job;
import dev.packline.queue.NewJob;
import dev.packline.queue.Priority;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.VersionNotAcceptingJobsException;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.ProgressReporter;
import dev.packline.queue.worker.RejectJobException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * A queue's handler with shadow runs around it. A real job of a version a {@link ShadowRun} copies
 * is, when it falls in the run's share, first copied to the candidate version as a shadow job
 * (same payload, id {@code shadow:FROM:ID}, bulk priority, the run's own attempts), then run for
 * real as if nothing happened; what the real handler produced reaches the comparison through
 * {@link ShadowRuns#recordReal}, a real failure for good through this class. A shadow job goes to
 * the {@link ShadowHandler}, never to the real handler, and never fails for good: after its last
 * attempt its failure is recorded and the job completes. Subscribe it as {@code JobHandler.reporting(tap)}.
 *
 * <p>Shadow work never holds up real work: a copy is dropped (and counted) while the candidate
 * version already holds {@code maxBacklog} unfinished jobs or takes no jobs, and any trouble with
 * the shadow bookkeeping (a Redis hiccup) is logged and leaves the real job to run.
 */
public final class ShadowTap implements JobHandler.Reporting {
    private static final Logger log = LoggerFactory.getLogger(ShadowTap.class);

    private final JobHandler real;
    private final ShadowHandler shadow;
    private final ShadowRuns runs;
    private final QueueClient client;

    public ShadowTap(JobHandler real, ShadowHandler shadow, ShadowRuns runs, QueueClient client) {
        this.real = real;
        this.shadow = shadow;
        this.runs = runs;
        this.client = client;
    }

    @Override
    public void handle(Job job, ProgressReporter progress) throws Exception {
        if (ShadowRun.isShadowJob(job.id())) {
            runShadow(job);
            return;
        }
        Optional<ShadowRun> run = copyIfShadowed(job);
        run.ifPresent(r -> runs.copied(job, r));
        try {
            real.handle(job, progress);
        } catch (Exception e) {
            if (run.isPresent() && (e instanceof RejectJobException || job.isLastAttempt())) {
                runs.record(run.get().source(), run.get().candidate(), job.id(), ShadowStore.Side.REAL, ShadowResult.failed(describe(e)));
            }
            throw e;
        } finally {
            runs.ended(job);
        }
    }

    private Optional<ShadowRun> copyIfShadowed(Job job) {
        try {
            ShadowRuns.Current current = runs.current(job.queue());
            Optional<ShadowRun> run = current.run().filter(r -> r.copies(job.id()));
            if (run.isEmpty()) {
                return run;
            }
            ShadowRun r = run.get();
            if (current.candidateBacklog() >= r.maxBacklog()) {
                runs.count(r, ShadowStore.Copy.DROPPED);
                return Optional.empty();
            }
            Enqueued copy;
            try {
                copy = client.enqueue(r.candidate(), NewJob.of(job.payload()).withId(r.shadowJobId(job.id()))
                        .withMaxAttempts(r.attempts()).withTimeout(job.timeout()).withPriority(Priority.BULK));
            } catch (VersionNotAcceptingJobsException e) {
                runs.count(r, ShadowStore.Copy.DROPPED);
                return Optional.empty();
            }
            if (copy.created()) {
                runs.count(r, ShadowStore.Copy.COPIED); // a redelivered real job finds its copy there: counted once
            }
            return run;
        } catch (RuntimeException e) {
            // the shadow bookkeeping is never a reason for the real job to fail
            log.warn("shadow copy of {} on {} skipped: {}", job.id(), job.queue(), e.toString());
            return Optional.empty();
        }
    }

    private void runShadow(Job job) throws Exception {
        Optional<ShadowRun.Copied> copied = ShadowRun.copied(job.id());
        if (copied.isEmpty()) {
            throw new RejectJobException("shadow job id '" + job.id() + "' does not name its source version (shadow:FROM:ID)");
        }
        ShadowResult result;
        try {
            result = shadow.run(job);
        } catch (Exception e) {
            if (!job.isLastAttempt() && !(e instanceof RejectJobException)) {
                throw e; // within the shadow's own budget: retried on the candidate version
            }
            result = ShadowResult.failed(describe(e));
        }
        runs.record(QueueVersion.of(job.queue().name(), copied.get().from()), job.queue(), copied.get().realJobId(),
                ShadowStore.Side.SHADOW, result);
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}

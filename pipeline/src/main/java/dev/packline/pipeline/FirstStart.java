package dev.packline.pipeline;

import dev.packline.queue.FirstVersion;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueInspector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What a fresh deployment needs in an empty Redis before the first request: version 1 of every
 * stage's queue, current. Workers and the API run it as they start, and {@code admin init} runs it
 * by hand. Idempotent and race-free (a queue that has a version is left as it is; of several
 * processes starting together exactly one creates each queue's version 1), and logged, so an
 * operator sees which process set the deployment up.
 */
public final class FirstStart {
    private static final Logger log = LoggerFactory.getLogger(FirstStart.class);

    private final QueueInspector queues;

    public FirstStart(QueueBroker broker, Clock clock) {
        this.queues = new QueueInspector(broker, clock);
    }

    /** Creates what is missing and returns every pipeline queue as it now stands, in stage order. */
    public List<FirstVersion> ensurePipelineQueues() {
        List<FirstVersion> out = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            FirstVersion first = queues.ensureFirstVersion(stage.queueName());
            if (first.outcome() == FirstVersion.Outcome.CREATED) {
                log.info("first start: created {} (current); the queue had no version", first.version());
            }
            out.add(first);
        }
        return out;
    }
}

package dev.packline.queue.worker;

import dev.packline.queue.QueueBroker;
import dev.packline.queue.WorkerCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/**
 * Reads, after every heartbeat, what admins asked of this worker: cancel marks on the jobs it runs
 * (each such job is stopped and ends as cancelled, never retried) and a recycle or stop command
 * (handed to the worker, which stops fetching as it does when its job budget is spent). The
 * heartbeater runs it, so a request takes effect within one heartbeat interval.
 */
final class AdminRequests implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(AdminRequests.class);

    private final QueueBroker broker;
    private final String workerId;
    private final List<Processor> processors;
    private final Consumer<WorkerCommand> onCommand;

    AdminRequests(QueueBroker broker, String workerId, List<Processor> processors, Consumer<WorkerCommand> onCommand) {
        this.broker = broker;
        this.workerId = workerId;
        this.processors = List.copyOf(processors);
        this.onCommand = onCommand;
    }

    @Override
    public void run() {
        for (Processor processor : processors) {
            if (processor.inFlight() == 0) {
                continue; // nothing of ours to cancel; marks of other workers' jobs are theirs to read
            }
            for (String id : broker.cancelsRequested(processor.queue(), workerId)) {
                if (processor.cancel(id)) {
                    log.info("job {} on {} cancelled by an admin: stopped", id, processor.queue());
                }
            }
        }
        broker.takeWorkerCommand(workerId).ifPresent(command -> {
            log.info("worker {}: an admin asked it to {}", workerId, command.wireName());
            onCommand.accept(command);
        });
    }
}

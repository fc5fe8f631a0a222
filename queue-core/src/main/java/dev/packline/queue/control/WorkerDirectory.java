package dev.packline.queue.control;

import dev.packline.queue.QueueBroker;
import dev.packline.queue.WorkerCommand;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The live workers, as they describe themselves at every heartbeat (their information expires
 * with their lease), and the admin's way to ask one to recycle or stop: a command the worker takes
 * at its next heartbeat ({@code Heartbeater}), then acts on as it would on its own (finish held
 * jobs, exit). A command nobody takes expires after {@link #COMMAND_TTL}.
 */
public final class WorkerDirectory {
    /** Longer than any lease: a worker that has not taken it by then is gone. */
    static final Duration COMMAND_TTL = Duration.ofMinutes(5);

    /** What asking a worker did. */
    public enum AskOutcome {
        /** the command waits for the worker's next heartbeat */
        ASKED,
        /** no live worker has that id (it stopped, or its information expired) */
        NO_SUCH_WORKER
    }

    private final QueueBroker broker;

    public WorkerDirectory(QueueBroker broker) {
        this.broker = broker;
    }

    /** Every live worker, by host, then pid, then id. */
    public List<WorkerInfo> live() {
        List<WorkerInfo> workers = new ArrayList<>();
        for (String json : broker.workerInfos()) {
            workers.add(WorkerInfo.parse(json));
        }
        workers.sort(Comparator.comparing(WorkerInfo::host).thenComparingLong(WorkerInfo::pid).thenComparing(WorkerInfo::id));
        return workers;
    }

    public Optional<WorkerInfo> find(String workerId) {
        return live().stream().filter(w -> w.id().equals(workerId)).findFirst();
    }

    public AskOutcome ask(String workerId, WorkerCommand command) {
        if (find(workerId).isEmpty()) {
            return AskOutcome.NO_SUCH_WORKER;
        }
        broker.sendWorkerCommand(workerId, command, COMMAND_TTL);
        return AskOutcome.ASKED;
    }
}

package dev.packline.admin;

import dev.packline.queue.QueueBroker;
import dev.packline.queue.WorkerCommand;
import dev.packline.queue.control.WorkerDirectory;
import dev.packline.queue.control.WorkerInfo;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code workers} (the live workers: host, pid, versions served, jobs done and running, jobs left
 * before it recycles, last heartbeat) and {@code worker recycle|stop ID} (asks one, which acts at
 * its next heartbeat: it stops fetching, finishes what it holds and exits, to be restarted at once
 * (recycle) or not at all (stop)).
 */
final class WorkerCommands {
    private final WorkerDirectory directory;
    private final Clock clock;
    private final Output out;

    WorkerCommands(QueueBroker broker, Clock clock, Output out) {
        this.directory = new WorkerDirectory(broker);
        this.clock = clock;
        this.out = out;
    }

    int list(Args args) {
        args.allowOnly(Set.of("--json"));
        long now = clock.millis();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (WorkerInfo w : directory.live()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", w.id());
            row.put("host", w.host());
            row.put("pid", w.pid());
            row.put("queues", out.json ? w.versions() : String.join(",", w.versions()));
            row.put("jobsDone", w.jobsDone());
            row.put("held", w.running());
            row.put("jobsLeftBeforeRecycle", w.jobsLeftBeforeRecycle().isPresent() ? w.jobsLeftBeforeRecycle().getAsLong()
                    : out.json ? null : "no limit");
            row.put("lastHeartbeatSecondsAgo", Math.max(0, (now - (w.lastHeartbeatMillis() > 0 ? w.lastHeartbeatMillis() : now)) / 1000));
            row.put("uptimeSeconds", Math.max(0, (now - (w.startedAtMillis() > 0 ? w.startedAtMillis() : now)) / 1000));
            row.put("recycles", w.generation());
            rows.add(row);
        }
        out.rows(List.of("id", "host", "pid", "queues", "jobsDone", "held", "jobsLeftBeforeRecycle", "lastHeartbeatSecondsAgo",
                "uptimeSeconds", "recycles"), rows);
        return AdminMain.OK;
    }

    /** {@code worker recycle|stop ID}. */
    int ask(Args args) {
        args.allowOnly(Set.of("--json"));
        String verb = args.word(1);
        String id = args.word(2);
        if (verb == null || id == null || args.positional().size() > 3) {
            throw new Args.UsageException("worker needs recycle or stop and one worker id (see: workers)");
        }
        WorkerCommand command;
        try {
            command = WorkerCommand.parse(verb);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        WorkerDirectory.AskOutcome outcome = directory.ask(id, command);
        if (outcome == WorkerDirectory.AskOutcome.NO_SUCH_WORKER) {
            throw new Commands.NotFoundException("no live worker '" + id + "' (list them with: workers)");
        }
        if (out.json) {
            out.json(Map.of("worker", id, "command", command.wireName(), "outcome", outcome.name().toLowerCase()));
        } else {
            out.out.println("asked worker " + id + " to " + command.wireName() + ": at its next heartbeat it stops fetching, finishes its "
                    + "running jobs and exits" + (command == WorkerCommand.RECYCLE ? " to be replaced by a fresh process" : " for good"));
        }
        return AdminMain.OK;
    }
}

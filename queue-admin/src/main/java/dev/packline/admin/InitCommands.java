package dev.packline.admin;

import dev.packline.pipeline.FirstStart;
import dev.packline.queue.FirstVersion;
import dev.packline.queue.QueueBroker;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code admin init}: what a fresh deployment needs in Redis, made explicitly (workers and the API
 * make the same on their first start). Prints each pipeline queue's current version and whether
 * this call created it; running it again changes nothing.
 */
final class InitCommands {
    private final QueueBroker broker;
    private final Clock clock;
    private final Output out;

    InitCommands(QueueBroker broker, Clock clock, Output out) {
        this.broker = broker;
        this.clock = clock;
        this.out = out;
    }

    int init(Args args) {
        args.allowOnly(Set.of("--json"));
        if (args.word(1) != null) {
            throw new Args.UsageException("init takes no arguments, got '" + args.word(1) + "'");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (FirstVersion first : new FirstStart(broker, clock).ensurePipelineQueues()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("queue", first.version().name());
            row.put("current", first.version().version());
            row.put("outcome", first.outcome() == FirstVersion.Outcome.CREATED ? "created" : "existed");
            rows.add(row);
        }
        out.rows(List.of("queue", "current", "outcome"), rows);
        return AdminMain.OK;
    }
}

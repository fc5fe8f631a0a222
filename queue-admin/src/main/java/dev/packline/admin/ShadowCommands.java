package dev.packline.admin;

import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.upgrade.ShadowReport;
import dev.packline.queue.upgrade.ShadowRun;
import dev.packline.queue.upgrade.ShadowStore;
import dev.packline.queue.upgrade.RouteRule;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code admin shadow start|stop|list|report}: shadow runs that copy a share of one version's jobs
 * to a candidate version and compare what both produce (queue-core's {@link ShadowStore}; the
 * workers do the copying and comparing).
 */
final class ShadowCommands {
    static final String USAGE = """
              shadow start --queue Q --from N --to M [--share 10%] [--max-backlog 1000] [--attempts 2]
                                                       copy a share of N's jobs (a stable hash of the job id) to M as shadow
                                                       jobs the candidate handler runs without side effects; outputs compared
              shadow stop --queue Q --from N
              shadow list [--queue Q]
              shadow report --queue Q --from N [--to M]
                                                       copies, matches, mismatches and failures, with the latest examples""";

    private final QueueBroker broker;
    private final Clock clock;
    private final Output out;
    private final ShadowStore shadows;

    ShadowCommands(ShadowStore shadows, QueueBroker broker, Clock clock, Output out) {
        this.shadows = shadows;
        this.broker = broker;
        this.clock = clock;
        this.out = out;
    }

    int run(Args args) {
        return switch (args.word(1) == null ? "" : args.word(1)) {
            case "start" -> start(args);
            case "stop" -> stop(args);
            case "list" -> list(args);
            case "report" -> report(args);
            default -> throw new Args.UsageException("shadow needs 'start', 'stop', 'list' or 'report'");
        };
    }

    private int start(Args args) {
        args.allowOnly(Set.of("--queue", "--from", "--to", "--share", "--max-backlog", "--attempts", "--json"));
        String queue = args.required("--queue");
        int from = requiredNumber(args, "--from");
        int to = requiredNumber(args, "--to");
        int share = args.option("--share") == null ? 1000 : RouteRule.parseShare(args.option("--share"));
        int maxBacklog = args.option("--max-backlog") == null ? ShadowRun.DEFAULT_MAX_BACKLOG : args.integer("--max-backlog");
        int attempts = args.option("--attempts") == null ? ShadowRun.DEFAULT_ATTEMPTS : args.integer("--attempts");
        ShadowRun run = new ShadowRun(queue, from, to, share, maxBacklog, attempts, clock.millis());
        shadows.start(run);
        out.result(UpgradeCommands.doc("queue", queue, "from", from, "to", to, "share", share / 100.0, "maxBacklog", maxBacklog, "attempts", attempts),
                "shadow run started: " + run.describe() + "; workers pick it up within seconds (package compares channel APKs, diff patches,"
                        + " upload stored objects; see admin shadow report)");
        return AdminMain.OK;
    }

    private int stop(Args args) {
        args.allowOnly(Set.of("--queue", "--from", "--json"));
        String queue = args.required("--queue");
        int from = requiredNumber(args, "--from");
        ShadowRun stopped = shadows.stop(queue, from).orElseThrow(() ->
                new Commands.NotFoundException("no shadow run copies jobs of " + QueueVersion.of(queue, from)));
        out.result(UpgradeCommands.doc("queue", queue, "from", from, "to", stopped.to()), "shadow run stopped: " + stopped.describe()
                + "; its report stays for " + ShadowRun.RETENTION.toDays() + " days (admin shadow report --queue " + queue
                + " --from " + from + " --to " + stopped.to() + ")");
        return AdminMain.OK;
    }

    private int list(Args args) {
        args.allowOnly(Set.of("--queue", "--json"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String name : args.option("--queue") != null ? List.of(args.option("--queue")) : new ArrayList<>(broker.queueNames())) {
            for (ShadowRun run : shadows.runs(name)) {
                ShadowReport r = shadows.report(name, run.from(), run.to());
                rows.add(UpgradeCommands.doc("queue", name, "from", run.from(), "to", run.to(), "share", run.share() / 100.0 + "%",
                        "since", Instant.ofEpochMilli(run.startedAt()).toString(), "copied", r.copied(), "matches", r.matches(),
                        "mismatches", r.mismatches(), "failures", r.failures()));
            }
        }
        out.rows(List.of("queue", "from", "to", "share", "since", "copied", "matches", "mismatches", "failures"), rows);
        return AdminMain.OK;
    }

    private int report(Args args) {
        args.allowOnly(Set.of("--queue", "--from", "--to", "--json"));
        String queue = args.required("--queue");
        int from = requiredNumber(args, "--from");
        Integer to = args.integer("--to");
        if (to == null) {
            to = shadows.runFrom(QueueVersion.of(queue, from)).map(ShadowRun::to).orElseThrow(() -> new Commands.NotFoundException(
                    "no shadow run copies jobs of " + QueueVersion.of(queue, from) + " now; name the stopped run's --to"));
        }
        ShadowReport r = shadows.report(queue, from, to);
        List<Map<String, Object>> examples = new ArrayList<>();
        for (ShadowReport.Example e : r.examples()) {
            examples.add(UpgradeCommands.doc("job", e.job(), "verdict", e.verdict().name().toLowerCase(), "at", Instant.ofEpochMilli(e.at()).toString(),
                    "real", e.real().describe(), "shadow", e.shadow().describe()));
        }
        if (out.json) {
            out.json(UpgradeCommands.doc("queue", queue, "from", from, "to", to, "running", r.run() != null, "copied", r.copied(), "dropped", r.dropped(),
                    "matches", r.matches(), "mismatches", r.mismatches(), "failures", r.failures(), "waiting", r.waiting(),
                    "mismatchRate", r.mismatchRate(), "examples", examples));
            return AdminMain.OK;
        }
        out.out.println((r.run() != null ? "running: " + r.run().describe() : queue + " v" + from + " -> v" + to + " (stopped)"));
        out.out.println("copied " + r.copied() + ", dropped " + r.dropped() + " (candidate backlog at its bound or not taking jobs)");
        out.out.println("compared " + r.compared() + ": " + r.matches() + " match, " + r.mismatches() + " mismatch, " + r.failures()
                + " failure; mismatch rate " + String.format("%.1f%%", r.mismatchRate() * 100) + "; " + r.waiting() + " waiting for their other side");
        if (!examples.isEmpty()) {
            out.out.println("latest mismatches and failures:");
            out.rows(List.of("job", "verdict", "at", "real", "shadow"), examples);
        }
        return AdminMain.OK;
    }

    private static int requiredNumber(Args args, String option) {
        Integer value = args.integer(option);
        if (value == null) {
            throw new Args.UsageException("shadow " + args.word(1) + " needs " + option + " N");
        }
        return value;
    }
}

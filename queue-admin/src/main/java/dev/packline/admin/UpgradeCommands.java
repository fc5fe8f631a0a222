package dev.packline.admin;

import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.upgrade.CleanupSchedule;
import dev.packline.queue.upgrade.RouteRule;
import dev.packline.queue.upgrade.RouteStore;
import dev.packline.queue.upgrade.ShadowRun;
import dev.packline.queue.upgrade.ShadowStore;
import dev.packline.queue.upgrade.VersionRollback;
import dev.packline.redis.RedisErrors;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin commands of safer upgrades: {@code version rollback}, {@code version keep|unkeep}
 * (the automatic clean-up), {@code route add|list|remove} and {@code shadow ...} ({@link ShadowCommands}); and the upgrade columns of
 * {@code admin queues} (the version's routes, the shadow run it is a side of, when the clean-up removes it).
 */
final class UpgradeCommands {
    static final String USAGE = """
              version rollback --queue Q --to N        make N current again: N+1 drains, its jobs not started move back to N,
                                                       its running jobs finish there
              version keep|unkeep --queue Q --version V
                                                       keep a drained version from the automatic clean-up (or let it go again)
              route add --queue Q --name R --to V [--share 10%] [--match appId=a,b | publisher=p | channels>=500 | FIELD=v]
                                                       send matching requests' jobs (the share by a stable hash of the request)
                                                       to version V instead of the current one; every API applies it within seconds
              route list [--queue Q]
              route remove --queue Q (--name R | --all)""" + "\n" + ShadowCommands.USAGE;

    /** The columns {@code admin queues} adds per version. */
    static final List<String> COLUMNS = List.of("routes", "shadow", "cleanup");

    private final UnifiedJedis redis;
    private final QueueBroker broker;
    private final Clock clock;
    private final Output out;
    private final RouteStore routes;
    private final ShadowCommands shadows;
    private final ShadowStore shadowStore;

    UpgradeCommands(UnifiedJedis redis, QueueBroker broker, Clock clock, Output out) {
        this.redis = redis;
        this.broker = broker;
        this.clock = clock;
        this.out = out;
        this.routes = new RouteStore(redis);
        this.shadowStore = new ShadowStore(redis, clock);
        this.shadows = new ShadowCommands(shadowStore, broker, clock, out);
    }

    /** Whether the command is one of these (the dispatch hook in Commands). */
    static boolean handles(Args args) {
        String sub = args.word(1);
        return "route".equals(args.word(0)) || "shadow".equals(args.word(0)) || "version".equals(args.word(0)) && Set.of("rollback", "keep", "unkeep").contains(sub);
    }

    int run(Args args) {
        // Redis failures as RedisUnavailableException: AdminMain turns them into exit code 4
        return RedisErrors.call("admin " + args.word(0) + " " + args.word(1), () -> switch (args.word(0)) {
            case "route" -> route(args);
            case "shadow" -> shadows.run(args);
            default -> version(args);
        });
    }

    private int version(Args args) {
        String sub = args.word(1);
        String queue = args.required("--queue");
        if ("rollback".equals(sub)) {
            args.allowOnly(Set.of("--queue", "--to", "--json"));
            Integer to = args.integer("--to");
            if (to == null) {
                throw new Args.UsageException("version rollback needs --to N");
            }
            VersionRollback.Result r = new VersionRollback(redis, broker, clock).rollback(QueueVersion.of(queue, to));
            out.result(doc("queue", queue, "from", r.from().version(), "to", to, "targetWas", r.targetWas(), "moved", r.moved()),
                    r.to() + " is current again (it was " + r.targetWas() + "); " + r.from() + " is draining: " + r.moved()
                            + " jobs that had not started moved back, its running jobs finish there");
            return AdminMain.OK;
        }
        args.allowOnly(Set.of("--queue", "--version", "--json"));
        Integer version = args.integer("--version");
        if (version == null) {
            throw new Args.UsageException("version " + sub + " needs --version V");
        }
        QueueVersion v = QueueVersion.of(queue, version);
        boolean keep = "keep".equals(sub);
        CleanupSchedule.announced(redis, broker, clock).keep(v, keep);
        out.result(doc("queue", queue, "version", version, "kept", keep), keep
                ? v + " is kept: the automatic clean-up leaves it (remove it with obliterate, or let it go with version unkeep)"
                : v + " goes back to the automatic clean-up: " + CleanupSchedule.announced(redis, broker, clock).plan(v).describe());
        return AdminMain.OK;
    }

    private int route(Args args) {
        String sub = args.word(1);
        if ("list".equals(sub)) {
            args.allowOnly(Set.of("--queue", "--json"));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String name : args.option("--queue") != null ? List.of(args.option("--queue")) : new ArrayList<>(broker.queueNames())) {
                for (RouteRule rule : routes.read(name).rules()) {
                    rows.add(doc("queue", name, "name", rule.id(), "version", rule.version(), "share", rule.share() / 100.0 + "%",
                            "match", rule.feature() == null ? "all" : rule.describe().replaceFirst("^.* of (.*) by request -> v\\d+$", "$1")));
                }
            }
            out.rows(List.of("queue", "name", "version", "share", "match"), rows);
            return AdminMain.OK;
        }
        String queue = args.required("--queue");
        if ("add".equals(sub)) {
            args.allowOnly(Set.of("--queue", "--name", "--to", "--share", "--match", "--json"));
            Integer to = args.integer("--to");
            if (to == null) {
                throw new Args.UsageException("route add needs --to V");
            }
            int share = args.option("--share") == null ? RouteRule.ALL : RouteRule.parseShare(args.option("--share"));
            String name = args.required("--name");
            // a replaced rule keeps its place and its requests (the bucket depends on the name only)
            long createdAt = routes.read(queue).rules().stream().filter(r -> r.id().equals(name)).mapToLong(RouteRule::createdAt)
                    .findFirst().orElse(clock.millis());
            RouteRule rule = RouteRule.parse(name, to, args.option("--match"), share, createdAt);
            routes.put(queue, rule);
            out.result(doc("queue", queue, "name", name, "version", to, "share", share / 100.0, "match", args.option("--match")),
                    "route " + rule.describe() + " on queue " + queue + "; producers apply it within seconds");
            return AdminMain.OK;
        }
        if ("remove".equals(sub)) {
            args.allowOnly(Set.of("--queue", "--name", "--json"));
            String name = args.flag("--all") ? "*" : args.required("--name");
            long removed = routes.remove(queue, name);
            if (removed == 0) {
                throw new Commands.NotFoundException("no route '" + name + "' on queue " + queue);
            }
            out.result(doc("queue", queue, "removed", removed), removed + " route(s) removed from queue " + queue
                    + "; new jobs go to the current version within seconds");
            return AdminMain.OK;
        }
        throw new Args.UsageException("route needs 'add', 'list' or 'remove'");
    }

    /** The upgrade columns of one version's row in {@code admin queues}. */
    Map<String, Object> columns(QueueVersion version, CleanupSchedule schedule) {
        List<String> names = new ArrayList<>();
        for (RouteRule rule : RedisErrors.call("read the routes of " + version.name(), () -> routes.read(version.name())).rules()) {
            if (rule.version() == version.version()) {
                names.add(rule.id() + " " + rule.share() / 100.0 + "%");
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("routes", out.json ? names : names.isEmpty() ? "-" : String.join(",", names));
        // both sides of a run show it: the source (copies go out) and the candidate (copies come in)
        List<String> runs = new ArrayList<>();
        for (ShadowRun run : RedisErrors.call("read the shadow runs of " + version.name(), () -> shadowStore.runs(version.name()))) {
            if (run.from() == version.version() || run.to() == version.version()) {
                runs.add("v" + run.from() + "->v" + run.to() + " " + run.share() / 100.0 + "%");
            }
        }
        row.put("shadow", out.json ? runs : runs.isEmpty() ? "-" : String.join(",", runs));
        row.put("cleanup", RedisErrors.call("plan the clean-up of " + version, () -> schedule.plan(version)).describe());
        return row;
    }

    CleanupSchedule schedule() {
        return RedisErrors.call("read the clean-up grace period", () -> CleanupSchedule.announced(redis, broker, clock));
    }

    /** A document of key, value pairs in order (the --json answers of these commands). */
    static Map<String, Object> doc(Object... pairs) {
        Map<String, Object> doc = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            doc.put((String) pairs[i], pairs[i + 1]);
        }
        return doc;
    }
}

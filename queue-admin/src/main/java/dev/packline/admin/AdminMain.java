package dev.packline.admin;

import dev.packline.queue.QueueException;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.queue.schedule.ScheduleStore;

import dev.packline.redis.RedisConnector;
import dev.packline.redis.RedisUnavailableException;
import dev.packline.releases.Refusal;
import dev.packline.releases.ReleaseException;
import dev.packline.releases.redis.InstallReports;
import dev.packline.releases.redis.RedisReleaseStore;
import redis.clients.jedis.UnifiedJedis;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bin/packline admin}: the admins' CLI. Every command works while workers and producers
 * run; every change is atomic in Redis. Exit codes scripts can trust: 0 done, 1 refused or failed
 * (the message says why), 2 usage error, 3 not found, 4 Redis unreachable.
 */
public final class AdminMain {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    static final int UNAVAILABLE = 4;

    static final String USAGE_TEXT = """
            Usage: bin/packline admin [--redis URL] [--json] COMMAND [ARGS]

            Commands:
              init                                     first start on an empty Redis: version 1 of every pipeline queue
                                                       that has none (package, upload, diff, notify); safe to run again
              queues [--watch [--interval 1s] [--count N]]
                                                       every queue version: state, counts, oldest pending, workers, throughput;
                                                       --watch redraws the table every second until Ctrl-C
              workers                                  live workers: host, pid, queues, jobs done, held, jobs left before
                                                       recycle, last heartbeat, uptime
              worker recycle|stop ID                   ask a worker to recycle (exit and be restarted) or stop for good; it acts
                                                       at its next heartbeat, after finishing its running jobs
              job [show] ID [--queue Q] [--version V]  one job: payload (secrets masked), state, attempts, worker, priority,
                                                       group, progress of a running job, error history as a table
              job cancel|run-now|requeue|delete ID --queue Q [--version V]
                                                       cancel (waiting: at once; running: its worker stops it at its next
                                                       heartbeat, never retried), run a delayed or retrying job now, requeue a
                                                       dead letter, delete (any state but running)
              jobs list --queue Q [--version V] --state STATE [--request R] [--error TEXT] [--limit 50] [--cursor C]
                                                       jobs of one state: pending, running, retry, delayed, dead, done,
                                                       cancelled; --request matches the payload's requestId
              jobs cancel|run-now|requeue|delete --queue Q [--version V] --state STATE [--request R] [--error TEXT] [--yes]
                                                       every matching job: prints the count and asks (refused without a
                                                       terminal unless --yes)
              dead list [FILTERS] [--limit N]          dead letters; FILTERS: --queue Q --version V --error TEXT
                                                       --since ISO-TIME --until ISO-TIME --request ID
              dead show ID --queue Q [--version V]
              dead requeue (ID... | --all) --queue Q [--version V] [FILTERS] [--yes]
              dead delete (ID... | --all) --queue Q [--version V] [FILTERS] [--yes]
              pause|resume --queue Q [--version V]     (default: the current version)
              version new --queue Q                    create the next version (not current until set-current)
              version set-current --queue Q --version V
              drain --queue Q --version V [--wait] [--timeout 10m] [--migrate-to V2]
              obliterate --queue Q --version V [--force] [--yes]
              recover [--queue Q] [--grace 30s]        return jobs of dead workers and overdue jobs now
              group list [--queue Q] [--version V]     groups: weight, cap, running jobs, jobs parked at the cap
              group set --queue Q --group G [--weight W] [--cap N|none] [--version V]
                                                       a group's weight (1-1000, default 1) and cap of running jobs,
                                                       on every version not retired unless --version
            %s
            %s
            %s

            --redis URL (or PACKLINE_REDIS_URL) is required: redis://host:port or redis-cluster://h:p,h:p.
            --json prints one JSON document for scripts. Exit codes: 0 done, 1 refused or failed,
            2 usage error, 3 not found, 4 Redis unreachable.""".formatted(UpgradeCommands.USAGE, ReleaseCommands.USAGE, ScheduleCommands.USAGE);

    private AdminMain() {
    }

    public static void main(String[] argv) {
        boolean terminal = System.console() != null;
        System.exit(run(Arrays.asList(argv), System.in, System.out, System.err, System.getenv("PACKLINE_REDIS_URL"), terminal, Clock.systemUTC()));
    }

    /**
     * One admin command, as {@code bin/packline admin} runs it but without exiting: the exit code is
     * returned (other modules' tests run the command an operator would type, against their Redis).
     */
    public static int run(List<String> argv, InputStream stdin, PrintStream out, PrintStream err, String envRedis, boolean terminal, Clock clock) {
        Args args;
        try {
            args = Args.parse(argv);
        } catch (Args.UsageException e) {
            err.println("admin: " + e.getMessage());
            return USAGE;
        }
        if (args.positional().isEmpty() || args.word(0).equals("help")) {
            (args.flag("--help") || args.positional().isEmpty() ? out : err).println(USAGE_TEXT);
            return args.flag("--help") || !args.positional().isEmpty() ? OK : USAGE;
        }
        if (args.flag("--help")) {
            out.println(USAGE_TEXT);
            return OK;
        }
        String url = args.option("--redis") != null ? args.option("--redis") : envRedis;
        if (url == null || url.isBlank()) {
            err.println("admin: --redis URL is required (or PACKLINE_REDIS_URL); the admin tool never starts its own Redis");
            return USAGE;
        }
        Output output = new Output(out, err, new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)), args.flag("--json"), terminal);
        if ("release".equals(args.word(0))) {
            return releases(url, args, output, err, clock);
        }
        if ("schedule".equals(args.word(0))) {
            try (UnifiedJedis redis = RedisConnector.open(url, 2)) {
                return new ScheduleCommands(new ScheduleStore(redis, clock), output).run(args);
            } catch (Exception e) {
                return failed(e, err);
            }
        }
        try (UnifiedJedis redis = RedisConnector.open(url, 4);
             RedisQueueBroker broker = new RedisQueueBroker(redis, RedisConnector.describe(url), clock, Retention.DEFAULT, false)) {
            Commands commands = new Commands(broker, clock, output, new UpgradeCommands(redis, broker, clock, output));
            return commands.dispatch(args);
        } catch (Exception e) {
            return failed(e, err);
        }
    }

    /** {@code admin release ...}: on its own Redis client, with the catalogue's refusals mapped to the same exit codes. */
    private static int releases(String url, Args args, Output output, PrintStream err, Clock clock) {
        String actor = "admin:" + (args.option("--as") != null ? args.option("--as") : System.getProperty("user.name", "unknown"));
        try (UnifiedJedis redis = RedisConnector.open(url, 2)) {
            return new ReleaseCommands(new RedisReleaseStore(redis, clock), new InstallReports(redis), output, actor).run(args);
        } catch (Exception e) {
            return failed(e, err);
        }
    }

    /** The one place a failed command is reported and turned into its exit code. */
    private static int failed(Exception e, PrintStream err) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            err.println("admin: interrupted");
            return FAILED;
        }
        if (e instanceof Args.UsageException) {
            err.println("admin: " + e.getMessage() + " (bin/packline admin --help)");
            return USAGE;
        }
        boolean known = e instanceof Commands.NotFoundException || e instanceof ReleaseException || e instanceof RedisUnavailableException
                || e instanceof QueueException || e instanceof IllegalArgumentException;
        err.println("admin: " + (known ? e.getMessage() : e.toString()));
        return switch (e) {
            case Commands.NotFoundException n -> NOT_FOUND;
            case ReleaseException r -> r.refusal() == Refusal.NOT_FOUND ? NOT_FOUND : FAILED;
            case RedisUnavailableException u -> UNAVAILABLE; // QueueUnavailableException included
            default -> FAILED;
        };
    }
}

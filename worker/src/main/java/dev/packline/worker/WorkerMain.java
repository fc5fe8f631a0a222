package dev.packline.worker;

import dev.packline.settings.SettingsException;
import dev.packline.notify.LogAlertChannel;
import dev.packline.worker.metrics.MetricsEndpoint;
import dev.packline.notify.NotificationChannels;
import dev.packline.worker.supervisor.Supervisor;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code bin/packline worker --config FILE [--redis URL] [--supervise [--processes N]]}: one worker
 * process, or a supervisor of N. The exit status says what happened (see {@link ExitCode} and
 * docs/operations.md). No logger is created before the configuration chose the log format.
 */
public final class WorkerMain {
    static final String USAGE = """
            Usage: bin/packline worker --config FILE [--redis URL] [--metrics-port N]
                   bin/packline worker --supervise [--processes N] --config FILE [--redis URL]
            Runs a Packline worker: it consumes the queues named in the config (config/worker.yml is the
            commented example). With --supervise, starts N worker processes and keeps them running.
              --redis URL        overrides redis.url (also PACKLINE_REDIS_URL)
              --metrics-port N   overrides metrics.port (supervised workers get port + 1 + slot)
            Exit status: 0 stopped (SIGTERM, or its queue versions retired), 1 crashed, 2 invalid
            configuration, 3 recycled after worker.maxJobsPerWorker jobs (restart it at once).""";

    private WorkerMain() {
    }

    /** Set once main has chosen the exit status itself; a shutdown hook then leaves it alone. */
    private static final AtomicBoolean EXIT_CHOSEN = new AtomicBoolean();

    public static void main(String[] argv) {
        int status = run(argv);
        EXIT_CHOSEN.set(true);
        System.exit(status);
    }

    /**
     * Runs {@code close} on SIGTERM and then ends the process with status 0, as docs/operations.md
     * promises: without the halt the JVM reports a signal's death (143) even after a clean stop, and
     * systemd and the supervisor would count it as a failure. An exit main chose itself (recycle,
     * retired) keeps its status: the hook then only closes.
     */
    private static void onSigterm(String name, Runnable close) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int status = ExitCode.STOPPED.status();
            try {
                close.run();
            } catch (RuntimeException | Error e) {
                org.slf4j.LoggerFactory.getLogger(WorkerMain.class).error("{} did not stop cleanly: {}", name, e.getMessage(), e);
                status = ExitCode.CRASHED.status();
            }
            if (!EXIT_CHOSEN.get()) {
                Runtime.getRuntime().halt(status);
            }
        }, name));
    }

    static int run(String[] argv) {
        String config = null;
        String redis = null;
        Integer metricsPort = null;
        Integer processes = null;
        boolean supervise = false;
        try {
            for (int i = 0; i < argv.length; i++) {
                switch (argv[i]) {
                    case "--help", "-h" -> {
                        System.out.println(USAGE);
                        return ExitCode.STOPPED.status();
                    }
                    case "--config" -> config = argv[++i];
                    case "--redis" -> redis = argv[++i];
                    case "--metrics-port" -> metricsPort = Integer.parseInt(argv[++i]);
                    case "--processes" -> processes = Integer.parseInt(argv[++i]);
                    case "--supervise" -> supervise = true;
                    default -> throw new IllegalArgumentException("unknown option '" + argv[i] + "'");
                }
            }
            if (config == null) {
                throw new IllegalArgumentException("--config FILE is required");
            }
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            System.err.println("worker: " + (e instanceof ArrayIndexOutOfBoundsException ? "an option lacks its value" : e.getMessage()));
            System.err.println(USAGE);
            return ExitCode.BAD_CONFIG.status();
        }
        WorkerConfig loaded;
        try {
            Map<String, String> env = new HashMap<>(System.getenv());
            if (redis != null) {
                env.put("PACKLINE_REDIS_URL", redis); // --redis wins over the file and the environment, and may replace both
            }
            loaded = WorkerConfig.load(Path.of(config), env);
        } catch (SettingsException e) {
            System.err.println("worker: " + e.getMessage());
            return ExitCode.BAD_CONFIG.status();
        }
        if (redis != null) {
            loaded = loaded.withRedisUrl(redis);
        }
        if (metricsPort != null) {
            loaded = loaded.withMetricsPort(metricsPort);
        }
        System.setProperty("packline.log.format", loaded.logFormat().name());
        OfferedHandlers.Offered handlers;
        try {
            // checked here, before anything connects, so a supervisor refuses too instead of restarting children that would
            handlers = OfferedHandlers.load(WorkerMain.class.getClassLoader());
            OfferedHandlers.requireServed(loaded, handlers.tools());
        } catch (OfferedHandlers.Problem e) {
            System.err.println("worker: " + e.getMessage());
            return ExitCode.BAD_CONFIG.status();
        }
        return supervise ? supervise(loaded, config, redis, processes) : work(loaded, handlers);
    }

    private static int work(WorkerConfig config, OfferedHandlers.Offered handlers) {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WorkerMain.class);
        WorkerApp app;
        NotificationChannels notifications;
        try {
            // no channels configured: alerts and summaries go to the log
            notifications = NotificationChannels.fromSettings(config.notifications(), System.getenv()).start();
        } catch (SettingsException e) {
            System.err.println("worker: " + e.getMessage());
            return ExitCode.BAD_CONFIG.status();
        }
        try {
            log.info("handler versions offered: {}", handlers.describe());
            app = new WorkerApp(config, handlers.tools(), notifications.all(), Clock.systemUTC());
            app.start();
        } catch (Exception e) {
            log.error("worker could not start: {}", e.getMessage(), e);
            notifications.close();
            return ExitCode.CRASHED.status();
        }
        WorkerApp running = app;
        onSigterm("shutdown", () -> {
            running.close();
            notifications.close(); // after the worker: sends what the rate limit still holds
        });
        try {
            Object ended = CompletableFuture.anyOf(app.worker().fetchingStopped(), app.versionsAppeared()).get();
            // every version retired: a rollout may have added versions this worker has not noticed yet
            Set<?> appeared = ended instanceof Set<?> set ? set
                    : ended == dev.packline.queue.worker.Worker.StopReason.RETIRED ? app.unservedVersions() : Set.of();
            app.close();
            notifications.close();
            if (!appeared.isEmpty()) {
                log.info("queue versions {} appeared; exiting to be replaced by a process that serves them", appeared);
                return ExitCode.RECYCLE.status();
            }
            if (ended == dev.packline.queue.worker.Worker.StopReason.RECYCLE) {
                log.info("worker recycles (it started its {} jobs, or an admin asked); exiting to be replaced by a fresh process",
                        config.maxJobsPerWorker());
                return ExitCode.RECYCLE.status();
            }
            if (ended == dev.packline.queue.worker.Worker.StopReason.STOPPED_BY_ADMIN) {
                log.info("an admin asked this worker to stop; exiting for good");
                return ExitCode.STOPPED.status();
            }
            log.info("every queue version this worker served is retired; exiting");
            return ExitCode.STOPPED.status();
        } catch (Exception e) {
            log.error("worker failed: {}", e.getMessage(), e);
            app.close();
            return ExitCode.CRASHED.status();
        }
    }

    private static int supervise(WorkerConfig config, String configFile, String redis, Integer processes) {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WorkerMain.class);
        WorkerConfig.Supervision policy = config.supervision();
        if (processes != null) {
            policy = new WorkerConfig.Supervision(processes, policy.restartBackoffInitial(), policy.restartBackoffMax(),
                    policy.crashLoopCrashes(), policy.crashLoopWindow());
        }
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("java.class.path");
        // the launcher's JVM options (heap, the AOT cache, PACKLINE_JAVA_OPTS) apply to the workers too;
        // a training run's cache output and a debugger's port must stay the supervisor's own
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> !option.startsWith("-XX:AOTCacheOutput") && !option.startsWith("-agentlib:jdwp")).toList();
        int basePort = config.metricsPort();
        try (MetricsEndpoint metrics = new MetricsEndpoint()) {
            metrics.start(config.metricsBind(), basePort);
            Supervisor supervisor = new Supervisor(new Supervisor.Params(slot -> {
                List<String> command = new ArrayList<>(List.of(java));
                command.addAll(jvmOptions);
                command.addAll(List.of("-cp", classpath, WorkerMain.class.getName(), "--config", configFile,
                        "--metrics-port", Integer.toString(basePort == 0 ? 0 : basePort + 1 + slot)));
                if (redis != null) {
                    command.addAll(List.of("--redis", redis));
                }
                return command;
            }, policy, config.timings().shutdownTimeout().plus(Duration.ofSeconds(5)), new LogAlertChannel(), metrics.registry(), Clock.systemUTC()));
            onSigterm("supervisor-shutdown", supervisor::close);
            supervisor.start();
            log.info("supervising {} worker processes; metrics on {}:{}", policy.processes(), config.metricsBind(), metrics.port());
            supervisor.allEnded().join();
            return ExitCode.STOPPED.status();
        } catch (RuntimeException e) {
            log.error("supervisor failed: {}", e.getMessage(), e);
            return ExitCode.CRASHED.status();
        }
    }
}

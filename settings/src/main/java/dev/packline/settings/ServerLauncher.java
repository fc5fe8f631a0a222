package dev.packline.settings;

import dev.packline.redis.EmbeddedRedis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The start-up every long-running server shares ({@code bin/packline api}, {@code update-api},
 * {@code console}), in this order: read the command line ({@link ServerArgs}; usage and exit 2 when
 * it is wrong), load the configuration (exit 2 naming every problem), apply {@code --redis} and
 * {@code --port}, set up the JSON logging before the first line ({@link ServerLogging}), start an
 * embedded Redis when no URL is configured (local use), start the server (exit 1 when it cannot,
 * after closing the embedded Redis), then run until SIGTERM/SIGINT. Shutdown is the reverse: the
 * hook closes the server, then the embedded Redis it used, and ends the process with status 0 (1
 * when the server did not close cleanly).
 */
public final class ServerLauncher<C extends ServerSettings<C>> {

    /** Loads an app's configuration file; a {@link SettingsException} names every problem. */
    @FunctionalInterface
    public interface ConfigLoader<C> {
        C load(Path file, Map<String, String> env);
    }

    /** Starts an app's server on a configuration whose Redis URL is set; throws when it cannot. */
    @FunctionalInterface
    public interface Starter<C> {
        AutoCloseable start(C config);
    }

    /**
     * @param main          the app's main class: its log lines are logged under its name
     * @param command       the command's name, the prefix of its stderr messages ({@code api})
     * @param serverName    what the log calls the server ({@code the API}): "stopping the API"
     * @param usage         printed for {@code --help} (stdout) and after a wrong argument (stderr)
     * @param defaultConfig the configuration file without {@code --config}
     */
    public record Params<C>(Class<?> main, String command, String serverName, String usage, String defaultConfig, ConfigLoader<C> loader,
                            Starter<C> starter) {
    }

    private final Params<C> p;
    private final Consumer<String> onEmbeddedRedis;
    private final PrintStream out;
    private final PrintStream err;

    /** @param onEmbeddedRedis run with an embedded Redis's URL before the server starts on it (the API creates the pipeline's queues) */
    public ServerLauncher(Params<C> params, Consumer<String> onEmbeddedRedis, PrintStream out, PrintStream err) {
        this.p = params;
        this.onEmbeddedRedis = onEmbeddedRedis;
        this.out = out;
        this.err = err;
    }

    public ServerLauncher(Params<C> params) {
        this(params, url -> { }, System.out, System.err);
    }

    /** Runs the server until the JVM is asked to stop; the exit status (0 stopped, 2 bad arguments or configuration, 1 could not start). */
    public int run(String[] args) {
        C config;
        try {
            ServerArgs parsed = ServerArgs.parse(args, p.defaultConfig());
            if (parsed.help()) {
                out.println(p.usage());
                return 0;
            }
            config = configure(parsed);
        } catch (IllegalArgumentException e) {
            err.println(p.command() + ": " + e.getMessage());
            err.println(p.usage());
            return 2;
        } catch (SettingsException e) {
            err.println(p.command() + ": " + e.getMessage());
            return 2;
        }
        ServerLogging.install(config.logFormat().name());
        Logger log = LoggerFactory.getLogger(p.main());
        EmbeddedRedis embedded = null;
        AutoCloseable server;
        try {
            if (config.redisUrl() == null || config.redisUrl().isBlank()) {
                embedded = EmbeddedRedis.start();
                config = config.withRedisUrl(embedded.url());
                onEmbeddedRedis.accept(embedded.url());
                log.warn("no Redis configured: started an embedded one at {} for local use (its data is lost at exit)", embedded.url());
            }
            server = p.starter().start(config);
        } catch (RuntimeException e) {
            log.error("{} could not start: {}", p.serverName(), e.getMessage(), e);
            if (embedded != null) {
                embedded.close();
            }
            return 1;
        }
        awaitShutdown(log, server, embedded);
        return 0;
    }

    private C configure(ServerArgs parsed) {
        C config = p.loader().load(Path.of(parsed.config()), System.getenv());
        if (parsed.redisUrl() != null) {
            config = config.withRedisUrl(parsed.redisUrl());
        }
        if (parsed.port() != null) {
            config = config.withPort(parsed.port());
        }
        return config;
    }

    private void awaitShutdown(Logger log, AutoCloseable server, EmbeddedRedis embedded) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping {}", p.serverName());
            int status = 0;
            try {
                server.close();
            } catch (Exception e) {
                log.error("{} did not stop cleanly: {}", p.serverName(), e.getMessage(), e);
                status = 1;
            }
            if (embedded != null) {
                embedded.close();
            }
            log.info("{} stopped", p.serverName());
            stopped.countDown();
            // the stop was clean (or not): say so in the exit status. Without the halt the JVM ends
            // with a signal's status (143 after SIGTERM), which systemd and Kubernetes count as a
            // failure; main's own System.exit would block behind this very hook.
            Runtime.getRuntime().halt(status);
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

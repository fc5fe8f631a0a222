package dev.packline.console;

import dev.packline.redis.EmbeddedRedis;
import dev.packline.settings.ServerArgs;
import dev.packline.settings.ServerLogging;
import dev.packline.settings.SettingsException;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** {@code bin/packline console}: runs the web console until SIGTERM or SIGINT; {@code console hash-password} makes a password hash. */
public final class ConsoleMain {
    static final String USAGE = """
            Usage: bin/packline console [--config FILE] [--redis URL] [--port N]
                   bin/packline console hash-password

            Runs the web console (docs/console.md) for admins, on-call engineers and publishers until SIGTERM/SIGINT.
              --config FILE  configuration (default config/console.yml): accounts, roles, sessions, lockout
              --redis URL    redis://host:port or redis-cluster://host:port,host:port (or PACKLINE_REDIS_URL,
                             or redis.url in the file); without any, an embedded Redis is started for local use
              --port N       listen on this port (0 = a free one) instead of server.port
            hash-password reads a password and prints the bcrypt hash for an account's passwordHash.
            Exit status: 0 stopped, 2 bad arguments or configuration, 1 could not start.""";

    private ConsoleMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length > 0 && args[0].equals("hash-password")) {
            return HashPasswordCommand.run(args, System.in, System.out, System.err);
        }
        ServerArgs parsed;
        try {
            parsed = ServerArgs.parse(args, "config/console.yml");
        } catch (IllegalArgumentException e) {
            System.err.println("console: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        if (parsed.help()) {
            System.out.println(USAGE);
            return 0;
        }
        ConsoleConfig loaded;
        try {
            loaded = ConsoleConfig.load(Path.of(parsed.config()), System.getenv());
        } catch (SettingsException e) {
            System.err.println("console: " + e.getMessage());
            return 2;
        }
        if (parsed.redisUrl() != null) {
            loaded = loaded.withRedisUrl(parsed.redisUrl());
        }
        if (parsed.port() != null) {
            loaded = loaded.withPort(parsed.port());
        }
        ServerLogging.install(loaded.logFormat().name());
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConsoleMain.class);
        EmbeddedRedis embedded = null;
        if (loaded.redisUrl() == null || loaded.redisUrl().isBlank()) {
            embedded = EmbeddedRedis.start();
            loaded = loaded.withRedisUrl(embedded.url());
            log.warn("no Redis configured: started an embedded one at {} for local use (its data is lost at exit)", embedded.url());
        }
        ConsoleServer console;
        try {
            console = ConsoleServer.start(loaded, Clock.systemUTC());
        } catch (RuntimeException e) {
            log.error("the console could not start: {}", e.getMessage(), e);
            if (embedded != null) {
                embedded.close();
            }
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedRedis ownRedis = embedded;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping the console");
            console.close();
            if (ownRedis != null) {
                ownRedis.close();
            }
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}

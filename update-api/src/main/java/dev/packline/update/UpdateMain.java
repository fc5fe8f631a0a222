package dev.packline.update;

import dev.packline.redis.EmbeddedRedis;
import dev.packline.settings.ServerArgs;
import dev.packline.settings.ServerLogging;
import dev.packline.settings.SettingsException;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code bin/packline update-api}: runs the update API until SIGTERM or SIGINT. */
public final class UpdateMain {
    static final String USAGE = """
            Usage: bin/packline update-api [--config FILE] [--redis URL] [--port N]

            Runs the clients' update API (docs/updates.md): GET /v1/check, GET /v1/compat/check, POST /v1/report,
            /healthz, /metrics, until SIGTERM/SIGINT.
              --config FILE  configuration (default config/update-api.yml)
              --redis URL    redis://host:port or redis-cluster://host:port,host:port (or PACKLINE_REDIS_URL,
                             or redis.url in the file); without any, an embedded Redis is started for local use
              --port N       listen on this port (0 = a free one) instead of server.port
            Exit status: 0 stopped, 2 bad arguments or configuration, 1 could not start.""";

    private UpdateMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        ServerArgs parsed;
        try {
            parsed = ServerArgs.parse(args, "config/update-api.yml");
        } catch (IllegalArgumentException e) {
            System.err.println("update-api: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        if (parsed.help()) {
            System.out.println(USAGE);
            return 0;
        }
        UpdateConfig loaded;
        try {
            loaded = UpdateConfig.load(Path.of(parsed.config()), System.getenv());
        } catch (SettingsException e) {
            System.err.println("update-api: " + e.getMessage());
            return 2;
        }
        if (parsed.redisUrl() != null) {
            loaded = loaded.withRedisUrl(parsed.redisUrl());
        }
        if (parsed.port() != null) {
            loaded = loaded.withPort(parsed.port());
        }
        ServerLogging.install(loaded.logFormat().name());
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UpdateMain.class);

        EmbeddedRedis embedded = null;
        if (loaded.redisUrl() == null || loaded.redisUrl().isBlank()) {
            embedded = EmbeddedRedis.start();
            loaded = loaded.withRedisUrl(embedded.url());
            log.warn("no Redis configured: started an embedded one at {} for local use (its data is lost at exit)", embedded.url());
        }
        UpdateServer api;
        try {
            api = UpdateServer.start(loaded);
        } catch (RuntimeException e) {
            log.error("the update API could not start: {}", e.getMessage(), e);
            if (embedded != null) {
                embedded.close();
            }
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedRedis ownRedis = embedded;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping the update API");
            api.close();
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

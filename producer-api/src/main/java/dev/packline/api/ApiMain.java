package dev.packline.api;

import dev.packline.pipeline.Stage;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import dev.packline.settings.ServerArgs;
import dev.packline.settings.ServerLogging;
import dev.packline.settings.SettingsException;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** {@code bin/packline api}: runs the producer API until SIGTERM or SIGINT. */
public final class ApiMain {
    static final String USAGE = """
            Usage: bin/packline api [--config FILE] [--redis URL] [--port N]

            Runs the publishers' HTTP API (docs/api.md) until SIGTERM/SIGINT.
              --config FILE  configuration (default config/api.yml); its publishers section is re-read
                             when the file changes, so tokens rotate without a restart
              --redis URL    redis://host:port or redis-cluster://host:port,host:port (or PACKLINE_REDIS_URL,
                             or redis.url in the file); without any, an embedded Redis is started for
                             local use and the pipeline's queues are created in it
              --port N       listen on this port (0 = a free one) instead of server.port
            Exit status: 0 stopped, 2 bad arguments or configuration, 1 could not start.""";

    private ApiMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        ServerArgs parsed;
        try {
            parsed = ServerArgs.parse(args, "config/api.yml");
        } catch (IllegalArgumentException e) {
            System.err.println("api: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        if (parsed.help()) {
            System.out.println(USAGE);
            return 0;
        }
        ApiConfig loaded;
        try {
            loaded = ApiConfig.load(Path.of(parsed.config()), System.getenv());
        } catch (SettingsException e) {
            System.err.println("api: " + e.getMessage());
            return 2;
        }
        if (parsed.redisUrl() != null) {
            loaded = loaded.withRedisUrl(parsed.redisUrl());
        }
        if (parsed.port() != null) {
            loaded = loaded.withPort(parsed.port());
        }
        ServerLogging.install(loaded.logFormat().name());
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ApiMain.class);

        EmbeddedRedis embedded = null;
        if (loaded.redisUrl() == null || loaded.redisUrl().isBlank()) {
            embedded = EmbeddedRedis.start();
            loaded = loaded.withRedisUrl(embedded.url());
            RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(embedded.url(), 2), embedded.url(), Clock.systemUTC(),
                    Retention.DEFAULT, true);
            try {
                QueueInspector queues = new QueueInspector(broker, Clock.systemUTC());
                for (Stage stage : Stage.values()) {
                    queues.ensureQueue(stage.queueName());
                }
            } finally {
                broker.close();
            }
            log.warn("no Redis configured: started an embedded one at {} for local use (its data is lost at exit)", embedded.url());
        }
        ApiServer api;
        try {
            api = ApiServer.start(loaded);
        } catch (RuntimeException e) {
            log.error("the API could not start: {}", e.getMessage(), e);
            if (embedded != null) {
                embedded.close();
            }
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedRedis ownRedis = embedded;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping the API");
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

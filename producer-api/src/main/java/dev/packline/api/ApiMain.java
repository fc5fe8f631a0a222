package dev.packline.api;

import dev.packline.pipeline.Stage;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.RedisConnector;
import dev.packline.settings.ServerLauncher;

import java.time.Clock;

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
        return new ServerLauncher<>(new ServerLauncher.Params<>(ApiMain.class, "api", "the API", USAGE, "config/api.yml", ApiConfig::load,
                ApiServer::start), ApiMain::createQueues, System.out, System.err).run(args);
    }

    /** On an embedded Redis (local use), what an admin does once per deployment: the pipeline's queues, version 1 of each. */
    private static void createQueues(String redisUrl) {
        try (RedisQueueBroker broker = new RedisQueueBroker(RedisConnector.open(redisUrl, 2), redisUrl, Clock.systemUTC(), Retention.DEFAULT, true)) {
            QueueInspector queues = new QueueInspector(broker, Clock.systemUTC());
            for (Stage stage : Stage.values()) {
                queues.ensureQueue(stage.queueName());
            }
        }
    }
}

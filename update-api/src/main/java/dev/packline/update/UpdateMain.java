package dev.packline.update;

import dev.packline.settings.ServerLauncher;

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
        return new ServerLauncher<>(new ServerLauncher.Params<>(UpdateMain.class, "update-api", "the update API", USAGE,
                "config/update-api.yml", UpdateConfig::load, UpdateServer::start)).run(args);
    }
}

package dev.packline.console;

import dev.packline.settings.ServerLauncher;

import java.time.Clock;

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
        return new ServerLauncher<>(new ServerLauncher.Params<>(ConsoleMain.class, "console", "the console", USAGE, "config/console.yml",
                ConsoleConfig::load, config -> ConsoleServer.start(config, Clock.systemUTC()))).run(args);
    }
}

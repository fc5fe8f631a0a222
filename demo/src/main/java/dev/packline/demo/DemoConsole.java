package dev.packline.demo;

import dev.packline.redis.EmbeddedRedis;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The web console beside a demo left running ({@code --keep-running}): its own process from the
 * console module's jar, on the demo's Redis, with the shipped {@code config/console.yml} and its
 * demo account, so a new user can look at the run in a browser. The console's output goes to the
 * demo's logs as console.log and console.err; the demo's {@link ServiceProcesses} stops it with the rest.
 */
final class DemoConsole {
    /** The demo account of config/console.yml (docs/console.md; the console's tests check the hash matches). */
    static final String ACCOUNT = "demo";
    static final String PASSWORD = "demo-admin";

    private final URI url;

    private DemoConsole(URI url) {
        this.url = url;
    }

    /** Starts the console on a free port of 127.0.0.1 and waits until its sign-in page answers. */
    static DemoConsole start(ServiceProcesses services, Path home, String redisUrl) throws IOException, InterruptedException {
        Path config = home.resolve("config/console.yml");
        if (!Files.isRegularFile(config)) {
            throw new IOException("no " + config + ": the console's example configuration ships with the checkout");
        }
        int port = EmbeddedRedis.freePort();
        services.start("console", "console", "dev.packline.console.ConsoleMain",
                List.of("--config", config.toString(), "--redis", redisUrl, "--port", Integer.toString(port)));
        URI url = URI.create("http://127.0.0.1:" + port + "/");
        services.awaitHealthy(url.resolve("/sign-in"), Duration.ofSeconds(60));
        return new DemoConsole(url);
    }

    URI url() {
        return url;
    }

    /** What the demo prints: where the console is and how to sign in. */
    String describe() {
        return "  console: " + url + " (sign in as " + ACCOUNT + " / " + PASSWORD + ", the demo account of config/console.yml)";
    }
}

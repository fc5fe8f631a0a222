package dev.packline.api.auth;

import dev.packline.api.ApiConfig;
import dev.packline.queue.worker.WorkerEvents;
import dev.packline.redis.PeriodicTask;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Token rotation without a restart: checks the configuration file every interval and, when its
 * content changed, reads and validates the whole file again and swaps in its {@code publishers}
 * (tokens, app limits, rate limits). A file that no longer validates changes nothing and is
 * reported in the log (without values: they may be secrets). Other settings need a restart.
 */
public final class ConfigReloader extends PeriodicTask {
    private final Path file;
    private final Map<String, String> env;
    private final Authenticator auth;
    private byte[] lastDigest;

    public ConfigReloader(Path file, Map<String, String> env, Authenticator auth, Duration interval) {
        super("config-reloader", interval, WorkerEvents.NONE);
        this.file = file;
        this.env = env;
        this.auth = auth;
        this.lastDigest = digest();
    }

    @Override
    protected void runOnce() {
        reloadIfChanged();
    }

    /** Reloads when the file changed; true when a new publisher table is in force. */
    public synchronized boolean reloadIfChanged() {
        byte[] now = digest();
        if (now == null || Arrays.equals(now, lastDigest)) {
            return false;
        }
        lastDigest = now;
        try {
            Publishers next = ApiConfig.load(file, env).publishers();
            auth.replace(next);
            log.info("configuration {} changed: {} publishers with {} tokens now in force", file, next.size(), next.tokenCount());
            return true;
        } catch (RuntimeException e) {
            log.error("configuration {} changed but is not valid; keeping the publishers in force: {}", file, e.getMessage());
            return false;
        }
    }

    private byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readString(file, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.warn("cannot read configuration {}: {}", file, e.getMessage());
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

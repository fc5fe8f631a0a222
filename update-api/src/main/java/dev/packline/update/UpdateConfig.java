package dev.packline.update;

import dev.packline.http.input.HttpLimits;
import dev.packline.notify.ChannelSpec;
import dev.packline.settings.LogFormat;
import dev.packline.settings.ServerSettings;
import dev.packline.settings.Settings;
import dev.packline.update.increment.IncrementsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The update API's whole configuration, read once from YAML (config/update-api.yml is the commented
 * example) with PACKLINE_* environment overrides and validated at start, every problem in one error.
 *
 * @param redisUrl      null: an embedded Redis is started (local use)
 * @param notifications where automatic pauses are announced (the worker's {@code notifications:} format)
 * @param increments    what increments are offered and made on demand ({@code increments:})
 */
public record UpdateConfig(String redisUrl, Server server, Snapshot snapshot, AutoPause autoPause, Map<String, ChannelSpec> notifications,
                           LogFormat logFormat, IncrementsConfig increments) implements ServerSettings<UpdateConfig> {


    /**
     * @param maxHeadersBytes   all request headers together at most; larger requests are refused with 431
     * @param maxRequestLine    the request line (method, path and query) at most; longer ones are refused with 414
     * @param maxBodyBytes      the largest report body read
     * @param checksPerIpSecond checks and reports allowed per client IP and second on one instance (0 = no limit)
     * @param idleTimeout       a kept-alive connection without a request is closed after about this long
     * @param headTimeout       a request's line and headers must arrive within this long, or the connection is closed
     * @param bodyTimeout       a report's body must be read and answered within this long of its head
     */
    public record Server(String bind, int port, int maxHeadersBytes, int maxRequestLine, long maxBodyBytes, int checksPerIpSecond,
                         Duration idleTimeout, Duration headTimeout, Duration bodyTimeout) {
        public static Server defaults() {
            HttpLimits d = HttpLimits.defaults(16 * 1024);
            return new Server("127.0.0.1", 8090, 8 * 1024, 4 * 1024, d.maxBodyBytes(), 0, d.idleTimeout(), d.headTimeout(), d.bodyTimeout());
        }

        Server withPort(int newPort) {
            return new Server(bind, newPort, maxHeadersBytes, maxRequestLine, maxBodyBytes, checksPerIpSecond, idleTimeout, headTimeout, bodyTimeout);
        }

        /** What the web server reads and how long it waits, for http-input. */
        public HttpLimits httpLimits() {
            return new HttpLimits(maxRequestLine, maxHeadersBytes, maxBodyBytes, idleTimeout, headTimeout, bodyTimeout);
        }
    }

    /**
     * @param pollInterval  how often the catalogue version is read (repairs lost announcements)
     * @param staleAfter    /healthz says stale when Redis has not confirmed the snapshot for this long
     * @param missInterval  an unknown deployment key reloads the snapshot at most this often
     */
    public record Snapshot(Duration pollInterval, Duration staleAfter, Duration missInterval) {
        public static Snapshot defaults() {
            return new Snapshot(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(1));
        }
    }

    /**
     * A gray release is paused automatically when, after at least {@code minInstalls} installs and
     * failures, the share of failures reaches {@code failureRate}.
     */
    public record AutoPause(boolean enabled, double failureRate, int minInstalls) {
        public static AutoPause defaults() {
            return new AutoPause(true, 0.2, 50);
        }
    }

    public static UpdateConfig load(Path file, Map<String, String> env) {
        return read(Settings.load(file, env));
    }

    public static UpdateConfig read(Settings s) {
        Server d = Server.defaults();
        Server server = new Server(s.string("server.bind", d.bind()), s.integer("server.port", d.port(), 0, 65_535),
                (int) Math.min(Integer.MAX_VALUE, s.bytes("server.maxHeadersBytes", d.maxHeadersBytes())),
                (int) Math.min(Integer.MAX_VALUE, s.bytes("server.maxRequestLine", d.maxRequestLine())),
                s.bytes("server.maxBodyBytes", d.maxBodyBytes()), s.integer("server.checksPerIpSecond", d.checksPerIpSecond(), 0, 1_000_000),
                s.duration("server.idleTimeout", d.idleTimeout(), HttpLimits.MIN_TIMEOUT),
                s.duration("server.headTimeout", d.headTimeout(), HttpLimits.MIN_TIMEOUT), s.duration("server.bodyTimeout", d.bodyTimeout(), HttpLimits.MIN_TIMEOUT));
        if (server.maxHeadersBytes() < 1024 || server.maxHeadersBytes() > 1024 * 1024) {
            s.problem("server.maxHeadersBytes: 1KiB to 1MiB, got " + server.maxHeadersBytes());
        }
        if (server.maxRequestLine() < 512 || server.maxRequestLine() > 64 * 1024) {
            s.problem("server.maxRequestLine: 512B to 64KiB, got " + server.maxRequestLine());
        }
        if (server.maxBodyBytes() < 256 || server.maxBodyBytes() > 1024 * 1024) {
            s.problem("server.maxBodyBytes: 256B to 1MiB, got " + server.maxBodyBytes());
        }
        Snapshot sd = Snapshot.defaults();
        Snapshot snapshot = new Snapshot(s.duration("snapshot.pollInterval", sd.pollInterval()), s.duration("snapshot.staleAfter", sd.staleAfter()),
                s.duration("snapshot.missInterval", sd.missInterval()));
        if (snapshot.pollInterval().toMillis() < 100) {
            s.problem("snapshot.pollInterval: at least 100ms, got " + snapshot.pollInterval().toMillis() + "ms");
        }
        if (snapshot.staleAfter().compareTo(snapshot.pollInterval().multipliedBy(2)) < 0) {
            s.problem("snapshot.staleAfter: at least twice snapshot.pollInterval, or every missed poll would read as stale");
        }
        AutoPause ad = AutoPause.defaults();
        int ratePercent = s.integer("autoPause.failurePercent", (int) Math.round(ad.failureRate() * 100), 1, 100);
        AutoPause autoPause = new AutoPause(s.bool("autoPause.enabled", ad.enabled()), ratePercent / 100.0,
                s.integer("autoPause.minInstalls", ad.minInstalls(), 1, 100_000_000));
        Map<String, ChannelSpec> notifications = ChannelSpec.read(s);
        LogFormat format = LogFormat.read(s);
        String redisUrl = s.string("redis.url", null);
        IncrementsConfig increments = IncrementsConfig.read(s);
        s.finish();
        return new UpdateConfig(redisUrl, server, snapshot, autoPause, notifications, format, increments);
    }

    public UpdateConfig withRedisUrl(String url) {
        return new UpdateConfig(url, server, snapshot, autoPause, notifications, logFormat, increments);
    }

    public UpdateConfig withPort(int port) {
        return new UpdateConfig(redisUrl, server.withPort(port), snapshot, autoPause, notifications, logFormat, increments);
    }
}

package dev.packline.api;

import dev.packline.api.auth.Publishers;
import dev.packline.http.input.HttpLimits;
import dev.packline.pipeline.PublisherRequestIndex;
import dev.packline.pipeline.RequestRules;
import dev.packline.settings.LogFormat;
import dev.packline.settings.ServerSettings;
import dev.packline.settings.Settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The API's whole configuration, read once from YAML (config/api.yml is the commented example) with
 * PACKLINE_* environment overrides and validated at start, every problem in one error. What a
 * request may name (mother roots and hosts, stores, notification channels) and how its jobs run
 * are read from the shared pipeline file the workers read too ({@code pipeline.shared},
 * config/pipeline.yml) through {@link RequestRules}, so the API accepts exactly what the workers
 * accept. Only the
 * {@code publishers} section is re-read while running (token rotation); see {@code ConfigReloader}.
 *
 * @param configFile    the file it came from, watched for publisher changes; null when built in code
 * @param server        where to listen and how much to read
 * @param rules         what a request may name, and the channel cap
 * @param publishers    who may call, with their tokens (as SHA-256 hashes) and limits
 * @param pipeline      how jobs are enqueued and how long requests stay visible
 */
public record ApiConfig(Path configFile, String redisUrl, Server server, RequestRules rules, Publishers publishers, Pipeline pipeline,
                        LogFormat logFormat) implements ServerSettings<ApiConfig> {


    /**
     * @param maxBodyBytes       the largest request body read; larger ones get 413
     * @param ssePollInterval    how often an event stream looks at its request
     * @param sseHeartbeat       comment lines on a quiet stream, so proxies keep it open and dead clients are noticed
     * @param sseMaxDuration     a stream ends after this long (the client reconnects)
     * @param reloadInterval     how often the config file is checked for publisher changes
     * @param redisPingInterval  how often Redis is pinged for {@code packline_redis_up}
     * @param idleTimeout        a kept-alive connection without a request is closed after about this long
     * @param headTimeout        a request's line and headers must arrive within this long, or the connection is closed
     * @param bodyTimeout        a request with a body must be read and answered within this long of its head
     */
    public record Server(String bind, int port, long maxBodyBytes, Duration ssePollInterval, Duration sseHeartbeat, Duration sseMaxDuration,
                         Duration reloadInterval, Duration redisPingInterval, Duration idleTimeout, Duration headTimeout, Duration bodyTimeout) {
        public static Server defaults() {
            HttpLimits limits = HttpLimits.defaults(1L << 20);
            return new Server("127.0.0.1", 8080, limits.maxBodyBytes(), Duration.ofMillis(500), Duration.ofSeconds(15), Duration.ofHours(1),
                    Duration.ofSeconds(5), Duration.ofSeconds(10), limits.idleTimeout(), limits.headTimeout(), limits.bodyTimeout());
        }

        public Server withPort(int newPort) {
            return new Server(bind, newPort, maxBodyBytes, ssePollInterval, sseHeartbeat, sseMaxDuration, reloadInterval, redisPingInterval,
                    idleTimeout, headTimeout, bodyTimeout);
        }

        /** What the web server reads and how long it waits: the request line and header sizes are the library's defaults. */
        public HttpLimits httpLimits() {
            HttpLimits d = HttpLimits.defaults(maxBodyBytes);
            return new HttpLimits(d.maxRequestLineBytes(), d.maxHeaderBytes(), maxBodyBytes, idleTimeout, headTimeout, bodyTimeout);
        }
    }

    /**
     * @param jobMaxAttempts   attempts of each package job (the worker's pipeline.jobMaxAttempts)
     * @param jobTimeout       hard timeout of each package job (the worker's pipeline.jobTimeout)
     * @param requestRetention how long a finished request stays readable (the worker's pipeline.requestRetention); also how long
     *                         the per-publisher index and idempotency keys remember a request
     * @param indexMaxEntries  requests kept in one publisher's index, newest first
     */
    public record Pipeline(int jobMaxAttempts, Duration jobTimeout, Duration requestRetention, int indexMaxEntries) {
        public static Pipeline defaults() {
            return new Pipeline(5, Duration.ofMinutes(30), Duration.ofDays(7), PublisherRequestIndex.DEFAULT_MAX_ENTRIES);
        }
    }

    public static ApiConfig load(Path file, Map<String, String> env) {
        return read(Settings.load(file, env), file, env);
    }

    /** Reads and validates; {@code file} resolves a relative {@code pipeline.shared} (null: the working directory). */
    public static ApiConfig read(Settings s, Path file, Map<String, String> env) {
        String redisUrl = s.string("redis.url", null);
        Server d = Server.defaults();
        Server server = new Server(s.string("server.bind", d.bind()), s.integer("server.port", d.port(), 0, 65_535),
                s.bytes("server.maxBodyBytes", d.maxBodyBytes()), s.duration("sse.pollInterval", d.ssePollInterval()),
                s.duration("sse.heartbeat", d.sseHeartbeat()), s.duration("sse.maxDuration", d.sseMaxDuration()),
                s.duration("server.reloadInterval", d.reloadInterval()), s.duration("redis.pingInterval", d.redisPingInterval()),
                s.duration("server.idleTimeout", d.idleTimeout(), HttpLimits.MIN_TIMEOUT),
                s.duration("server.headTimeout", d.headTimeout(), HttpLimits.MIN_TIMEOUT), s.duration("server.bodyTimeout", d.bodyTimeout(), HttpLimits.MIN_TIMEOUT));
        if (server.maxBodyBytes() < 1024) {
            s.problem("server.maxBodyBytes: at least 1KiB, got " + server.maxBodyBytes());
        }
        if (server.ssePollInterval().toMillis() < 50) {
            s.problem("sse.pollInterval: at least 50ms, got " + server.ssePollInterval().toMillis() + "ms");
        }
        int maxChannels = s.integer("limits.maxChannelsPerRequest", RequestRules.DEFAULT_MAX_CHANNELS, 1, 1_000_000);
        RequestRules rules = null;
        Pipeline pipeline = Pipeline.defaults();
        String sharedPath = s.string("pipeline.shared", null);
        if (sharedPath == null) {
            s.problem("pipeline.shared: required: the shared pipeline file (config/pipeline.yml) whose mothers, stores and notifications"
                    + " the workers accept");
        } else {
            Path sharedFile = Settings.beside(file, sharedPath);
            try {
                Settings w = Settings.load(sharedFile, env);
                rules = RequestRules.read(w, maxChannels);
                Pipeline p = Pipeline.defaults();
                pipeline = new Pipeline(w.integer("pipeline.jobMaxAttempts", p.jobMaxAttempts(), 1, 100),
                        w.duration("pipeline.jobTimeout", p.jobTimeout()), w.duration("pipeline.requestRetention", p.requestRetention()),
                        s.integer("limits.indexMaxEntries", p.indexMaxEntries(), 100, 1_000_000));
                w.finishReadValues(); // the rest of the file is the workers' (store endpoints, channel URLs); they check it
            } catch (dev.packline.settings.SettingsException e) {
                s.problem("pipeline.shared (" + sharedFile + "): " + String.join("; ", e.problems()));
            }
        }
        Publishers publishers = Publishers.read(s);
        LogFormat format = LogFormat.read(s);
        s.finish();
        return new ApiConfig(file, redisUrl, server, rules, publishers, pipeline, format);
    }

    public ApiConfig withRedisUrl(String url) {
        return new ApiConfig(configFile, url, server, rules, publishers, pipeline, logFormat);
    }

    public ApiConfig withPort(int port) {
        return new ApiConfig(configFile, redisUrl, server.withPort(port), rules, publishers, pipeline, logFormat);
    }
}

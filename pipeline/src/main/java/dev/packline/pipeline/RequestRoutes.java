package dev.packline.pipeline;

import dev.packline.queue.QueueVersion;
import dev.packline.queue.upgrade.RouteRequest;
import dev.packline.redis.RedisErrors;
import redis.clients.jedis.UnifiedJedis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which version of a stage's queue a request's jobs went to and which routing rule chose it,
 * recorded in the request's hash ({@code route:QUEUE} = {@code VERSION RULE}). Routing decides per
 * request (a stable hash of the request id), so every job of the request went there: this one
 * field records the version and rule of each of its jobs. Also what a job's features are.
 */
public final class RequestRoutes {
    private final UnifiedJedis redis;

    public RequestRoutes(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** A routing decision as recorded. */
    public record Decision(int version, String rule) {
    }

    /**
     * What routing rules can match on: the app id, the publisher, the request size (channels), and
     * the request's payload fields (format, output store, notification level).
     */
    public static RouteRequest features(PackagingRequest request) {
        Map<String, String> features = new LinkedHashMap<>();
        features.put("appId", request.appId());
        features.put("publisher", request.publisher());
        features.put("channels", Integer.toString(request.channels().size()));
        putIfPresent(features, "format", request.format());
        putIfPresent(features, "outputStore", request.outputStore());
        putIfPresent(features, "notifyLevel", request.notifyLevel());
        return new RouteRequest(request.id(), features);
    }

    private static void putIfPresent(Map<String, String> features, String name, String value) {
        if (value != null) {
            features.put(name, value);
        }
    }

    public void record(String requestId, QueueVersion version, String rule) {
        RedisErrors.call("record the route of request " + requestId, () -> redis.hset(Keys.request(requestId), "route:" + version.name(),
                version.version() + " " + rule));
    }

    public Optional<Decision> decision(String requestId, String queueName) {
        String value = RedisErrors.call("read the route of request " + requestId, () -> redis.hget(Keys.request(requestId), "route:" + queueName));
        if (value == null) {
            return Optional.empty();
        }
        int space = value.indexOf(' ');
        return Optional.of(new Decision(Integer.parseInt(value.substring(0, space)), value.substring(space + 1)));
    }
}

package dev.packline.queue.upgrade;

import java.util.Map;
import java.util.Objects;

/**
 * What a routing decision looks at: the sticky key (a request id: every job sharing it gets the
 * same decision) and the job's features (app id, publisher, request size, payload fields), by name.
 */
public record RouteRequest(String stickyKey, Map<String, String> features) {
    public RouteRequest {
        Objects.requireNonNull(stickyKey, "stickyKey");
        features = Map.copyOf(features);
    }
}

package dev.packline.e2e;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Metric names grafana/ may use before their producers land on main: MetricsCoverageTest does
 * not fail while one of these is missing from the scrape, it lists it as unchecked (in its output
 * and in target/metrics-coverage.txt). A name here that the apps do export is checked like any
 * other, labels and values included; then delete it from this list. Everything not listed here
 * must be exported, or the test fails.
 *
 * <p>Empty now: the upload stage's metrics ({@code packline_upload_*}) and producer-api's
 * ({@code packline_api_*}) have landed and are checked against a running worker and API.
 */
final class PendingMetrics {
    /** Name to the change that will produce it. */
    private static final Map<String, String> PENDING = Map.of();

    private PendingMetrics() {
    }

    /** Name to producer, for the report. */
    static Map<String, String> all() {
        return new TreeMap<>(PENDING);
    }

    static Set<String> names() {
        return PENDING.keySet();
    }
}

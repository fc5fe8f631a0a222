package dev.packline.e2e;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker finds each kind of rot a dashboard or rule can suffer, on a page shaped like the worker's. */
class MetricUseTest {
    private static final Exposition PAGE = Exposition.parse("""
            # HELP packline_queue_jobs jobs in a queue version by state
            # TYPE packline_queue_jobs gauge
            packline_queue_jobs{queue="package",state="pending",version="1"} 3.0
            packline_queue_jobs{queue="package",state="dead",version="1"} NaN
            packline_queue_workers{queue="package",version="1"} 1.0
            packline_jobs_finished_total{outcome="completed",queue="package",version="1"} 0.0
            packline_jobs_finished_total{outcome="dead_lettered",queue="package",version="1"} 0.0
            packline_job_duration_seconds_bucket{queue="package",version="1",le="0.5"} 0
            packline_job_duration_seconds_bucket{queue="package",version="1",le="+Inf"} 0
            packline_job_duration_seconds_count{queue="package",version="1"} 0
            packline_redis_up 1.0
            """);

    private static List<String> problems(String expression) {
        return MetricUse.check("test", expression, PAGE, Set.of("packline_upload_errors_total")).problems();
    }

    @Test
    void expressionsThatUseOnlyWhatIsExportedPass() {
        List<String> fine = List.of(
                "max by (queue, version) (packline_queue_jobs{state=\"pending\"}) > 10000",
                "sum by (queue) (rate(packline_jobs_finished_total{outcome=~\"completed|dead_lettered\"}[5m])) / sum by (queue) (rate(packline_jobs_finished_total[5m]))",
                "histogram_quantile(0.95, sum by (queue, le) (rate(packline_job_duration_seconds_bucket{queue=\"$queue\"}[5m])))",
                "max by (queue, version) (last_over_time(packline_queue_jobs{state=\"pending\"}[30m])) > 0 unless on (queue, version) max by (queue, version) (packline_queue_workers) > 0",
                "max by (queue, version) (sum without (state) (packline_queue_jobs{state=~\"pending|dead\"}))",
                "max by (job, instance) (packline_redis_up) == 0",
                "up{job=\"packline-worker\"} == 0",
                "label_replace(packline_queue_workers, \"stage\", \"$1\", \"queue\", \"(.*)\")");
        for (String expression : fine) {
            assertEquals(List.of(), problems(expression), expression);
        }
    }

    @Test
    void eachKindOfRotIsNamed() {
        Map<String, String> cases = Map.of(
                "rate(packline_jobs_finshed_total[5m])", "metric packline_jobs_finshed_total is not exported",
                "packline_queue_jobs{stage=\"pending\"}", "label stage is not on packline_queue_jobs",
                "packline_queue_jobs{state=\"waiting\"}", "no series of packline_queue_jobs has state=\"waiting\"",
                "packline_jobs_finished_total{outcome=~\"completed|dead_letter\"}", "has outcome=\"dead_letter\"",
                "sum by (stage) (packline_queue_jobs)", "by (stage): stage is on none of the series",
                "sum by (queue) (packline_queue_jobs) / on (state) packline_queue_workers", "on/group label state is not on the left side",
                "histogram_quantile(0.9, sum by (queue) (rate(packline_job_duration_seconds_bucket[5m])))", "without an le label",
                "label_replace(packline_redis_up, \"x\", \"$1\", \"queue\", \"(.*)\")", "reads label queue",
                "max by (version) (sum by (queue) (packline_queue_jobs))", "by (version): version is on none",
                "sum(rate(x[5m]", "PromQL: expected ')'");
        cases.forEach((expression, expected) -> {
            List<String> found = problems(expression);
            assertTrue(found.stream().anyMatch(p -> p.contains(expected)), expression + " should report '" + expected + "', got " + found);
        });
    }

    @Test
    void pendingMetricsAreReportedUncheckedAndNeverPassSilently() {
        MetricUse.Result result = MetricUse.check("rule", "sum by (store, kind) (increase(packline_upload_errors_total{kind=\"auth\"}[10m])) > 0",
                PAGE, Set.of("packline_upload_errors_total"));
        assertEquals(List.of(), result.problems());
        assertEquals(Set.of("packline_upload_errors_total"), result.unchecked());
        MetricUse.Result notPending = MetricUse.check("rule", "packline_upload_errors_total", PAGE, Set.of());
        assertEquals(1, notPending.problems().size(), "without the pending entry the same name fails");
        MetricUse.Result exportedNow = MetricUse.check("rule", "packline_redis_up{component=\"x\"}", PAGE, Set.of("packline_redis_up"));
        assertEquals(Set.of(), exportedNow.unchecked(), "a pending name that is exported is checked");
        assertEquals(1, exportedNow.problems().size(), exportedNow.problems().toString());
    }

    @Test
    void malformedPagesAreRefusedWithTheirLine() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Exposition.parse("ok 1\nbroken{a=b} 1\n"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}

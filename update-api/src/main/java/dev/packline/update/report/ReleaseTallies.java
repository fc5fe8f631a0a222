package dev.packline.update.report;

import dev.packline.redis.PeriodicTask;
import dev.packline.releases.InstallEvent;
import dev.packline.releases.redis.InstallReports;
import dev.packline.releases.redis.InstallReports.Tally;
import dev.packline.update.metrics.UpdateMetrics;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exports the report counts of releases this instance heard about, as all instances counted them
 * (reports and distinct clients per event, read from Redis every interval). A release nobody
 * reported for a day is dropped from the list.
 */
public final class ReleaseTallies extends PeriodicTask {
    private static final Duration FORGET_AFTER = Duration.ofDays(1);

    private record Reported(String app, long release) {
    }

    private final InstallReports reports;
    private final UpdateMetrics metrics;
    private final Clock clock;
    private final Map<Reported, Long> lastReport = new ConcurrentHashMap<>();

    public ReleaseTallies(InstallReports reports, UpdateMetrics metrics, Clock clock, Duration interval) {
        super("release-tallies", interval, Failures.NONE);
        this.reports = reports;
        this.metrics = metrics;
        this.clock = clock;
    }

    void reported(String app, long release) {
        lastReport.put(new Reported(app, release), clock.millis());
    }

    @Override
    protected void runOnce() {
        long now = clock.millis();
        lastReport.entrySet().removeIf(e -> now - e.getValue() > FORGET_AFTER.toMillis());
        for (Reported r : lastReport.keySet()) {
            Map<InstallEvent, Tally> tallies = reports.tallies(r.release());
            tallies.forEach((event, tally) -> metrics.releaseTally(r.app(), r.release(), event, tally));
        }
    }
}

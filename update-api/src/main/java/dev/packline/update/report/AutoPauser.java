package dev.packline.update.report;

import dev.packline.notify.Alert;
import dev.packline.notify.AlertChannel;
import dev.packline.releases.Refusal;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseAction;
import dev.packline.releases.ReleaseException;
import dev.packline.releases.ReleaseState;
import dev.packline.releases.redis.InstallReports.Outcomes;
import dev.packline.releases.redis.RedisReleaseStore;
import dev.packline.update.UpdateConfig;
import dev.packline.update.metrics.UpdateMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;

/**
 * Pauses a gray (rolling-out) release whose installs fail too often, and says so through the
 * notification channels. Every instance looks after every report, but the pause is a
 * compare-and-set on the release: one instance wins, and only the winner alerts; the others find
 * the release paused already and do nothing.
 */
public final class AutoPauser {
    private static final Logger log = LoggerFactory.getLogger(AutoPauser.class);
    public static final String ACTOR = "update-api (automatic pause)";

    private final RedisReleaseStore store;
    private final UpdateConfig.AutoPause rule;
    private final AlertChannel alerts;
    private final UpdateMetrics metrics;
    private final Clock clock;

    public AutoPauser(RedisReleaseStore store, UpdateConfig.AutoPause rule, AlertChannel alerts, UpdateMetrics metrics, Clock clock) {
        this.store = store;
        this.rule = rule;
        this.alerts = alerts;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Looks at a release's outcomes after a report; pauses it when the rule says so. */
    public void consider(Release release, Outcomes outcomes) {
        if (!rule.enabled() || release.state() != ReleaseState.ROLLING_OUT || outcomes.attempts() < rule.minInstalls()) {
            return;
        }
        double rate = outcomes.failed() / (double) outcomes.attempts();
        if (rate < rule.failureRate()) {
            return;
        }
        String reason = outcomes.failed() + " of " + outcomes.attempts() + " installs failed (" + Math.round(rate * 1000) / 10.0
                + "%, threshold " + Math.round(rule.failureRate() * 1000) / 10.0 + "% after " + rule.minInstalls() + ")";
        try {
            store.change(release.app(), release.id(), new ReleaseAction.AutoPause(reason), ACTOR);
        } catch (ReleaseException e) {
            if (e.refusal() == Refusal.NOT_ALLOWED) {
                return; // paused, rolled back or made full meanwhile: by a publisher or another instance
            }
            throw e;
        }
        metrics.autoPause(release.app());
        log.warn("paused release {} of {} ({} {}): {}", release.id(), release.app(), release.deployment(), release.version(), reason);
        Alert alert = new Alert("release-auto-pause:" + release.id(), Alert.Severity.CRITICAL, Alert.Status.FIRING,
                "Rollout paused: " + release.app() + " " + release.version() + " on " + release.deployment(),
                "Release " + release.id() + " was rolling out and has been paused automatically: " + reason
                        + ". Look at the failure reasons, then resume or roll it back (bin/packline admin release ...).",
                Map.of("app", release.app(), "release", Long.toString(release.id()), "deployment", release.deployment()),
                clock.instant());
        try {
            alerts.send(alert);
        } catch (Exception e) {
            log.error("the alert for the automatic pause of release {} could not be sent: {}", release.id(), e.toString());
        }
    }
}

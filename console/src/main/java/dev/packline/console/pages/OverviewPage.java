package dev.packline.console.pages;

import dev.packline.console.auth.Permission;
import dev.packline.console.live.LiveStream;
import dev.packline.console.web.Html;
import dev.packline.console.web.Page;
import dev.packline.console.web.Viewer;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueInspector.VersionSummary;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /overview}: every queue and version with its state, the current marker, depth per state,
 * completions per minute, the oldest pending job's age and live workers, and the alarms the queues'
 * own state raises; the table refreshes live over server-sent events.
 */
public final class OverviewPage {
    /** A pending job older than this raises an alarm. */
    static final Duration OLD_PENDING = Duration.ofMinutes(10);

    private final QueueInspector inspector;
    private final LiveStream live;
    private final Clock clock;

    public OverviewPage(QueueInspector inspector, LiveStream live, Clock clock) {
        this.inspector = inspector;
        this.live = live;
        this.clock = clock;
    }

    public void show(ServerRequest req, ServerResponse res, Viewer viewer) {
        viewer.require(Permission.QUEUES, "see the queues");
        Page.send(res, 200, "Overview", viewer, LiveStream.container("overview", "/live/overview", "overview", fragment())
                + "<p class=\"hint\">Live: the table updates by itself. Alarms here come from the queues' own state; "
                + "the alert rules with their runbooks are in Grafana (docs/operations.md).</p>");
    }

    public void stream(ServerRequest req, ServerResponse res, Viewer viewer) {
        viewer.require(Permission.QUEUES, "see the queues");
        live.stream(res, "overview", this::fragment);
    }

    String fragment() {
        long now = clock.millis();
        StringBuilder rows = new StringBuilder();
        List<String> alarms = new ArrayList<>();
        for (String queue : inspector.queueNames().stream().sorted().toList()) {
            for (VersionSummary v : inspector.versions(queue)) {
                QueueCounts c = v.counts();
                String label = c.queue().label();
                long oldest = c.oldestPendingSinceMillis() < 0 ? -1 : now - c.oldestPendingSinceMillis();
                rows.append("<tr data-queue=\"").append(Html.text(label)).append("\"><td><a href=\"/queues/").append(Html.url(queue))
                        .append('/').append(c.queue().version()).append("\">").append(Html.text(label)).append("</a></td>")
                        .append("<td class=\"state\">").append(c.state().wireName()).append(c.paused() ? ", paused" : "").append("</td>")
                        .append("<td class=\"current\">").append(v.current() ? "current" : "").append("</td>")
                        .append(cell("pending", c.pending())).append(cell("delayed", c.delayed())).append(cell("retry", c.retry()))
                        .append(cell("active", c.active())).append(cell("dead", c.dead())).append(cell("done", c.done()))
                        .append("<td class=\"rate\">").append(String.format(java.util.Locale.ROOT, "%.1f", c.completedPerMinute(now, 5))).append("</td>")
                        .append("<td class=\"oldest\">").append(oldest < 0 ? "" : Html.age(oldest)).append("</td>")
                        .append(cell("workers", c.liveWorkers())).append("</tr>");
                if (c.dead() > 0) {
                    alarms.add(label + ": " + c.dead() + " dead letters");
                }
                if (oldest > OLD_PENDING.toMillis()) {
                    alarms.add(label + ": the oldest pending job waits for " + Html.age(oldest));
                }
                if (c.pending() > 0 && c.liveWorkers() == 0 && !c.paused()) {
                    alarms.add(label + ": " + c.pending() + " jobs pending and no live worker");
                }
                if (c.paused()) {
                    alarms.add(label + ": paused");
                }
            }
        }
        StringBuilder html = new StringBuilder("<section class=\"alarms\" id=\"alarms\"><h2>Alarms</h2>");
        if (alarms.isEmpty()) {
            html.append("<p class=\"ok\">None.</p>");
        } else {
            html.append("<ul>");
            alarms.forEach(a -> html.append("<li>").append(Html.text(a)).append("</li>"));
            html.append("</ul>");
        }
        html.append("</section><table id=\"queues\"><thead><tr><th>Queue version</th><th>State</th><th>Current</th><th>Pending</th>")
                .append("<th>Delayed</th><th>Retry</th><th>Active</th><th>Dead</th><th>Done</th><th>Done/min (5m)</th>")
                .append("<th>Oldest pending</th><th>Live workers</th></tr></thead><tbody>").append(rows);
        if (rows.isEmpty()) {
            html.append("<tr><td colspan=\"12\">No queues yet.</td></tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    private static String cell(String name, long value) {
        return "<td class=\"" + name + "\">" + value + "</td>";
    }
}

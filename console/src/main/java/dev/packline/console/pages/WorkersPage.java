package dev.packline.console.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.console.auth.Permission;
import dev.packline.console.web.Html;
import dev.packline.console.web.Page;
import dev.packline.console.web.Viewer;
import dev.packline.queue.QueueBroker;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.time.Clock;

/**
 * {@code /workers}: every live worker as it last published itself (host, pid, the versions it
 * serves, jobs done and held, last heartbeat, uptime, recycles); a worker whose information expired
 * is gone from the list.
 */
public final class WorkersPage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final QueueBroker broker;
    private final Clock clock;

    public WorkersPage(QueueBroker broker, Clock clock) {
        this.broker = broker;
        this.clock = clock;
    }

    public void show(ServerRequest req, ServerResponse res, Viewer viewer) throws IOException {
        viewer.require(Permission.QUEUES, "see the workers");
        long now = clock.millis();
        StringBuilder rows = new StringBuilder();
        int count = 0;
        for (String info : broker.workerInfos()) {
            JsonNode w = JSON.readTree(info);
            StringBuilder queues = new StringBuilder();
            w.path("queues").forEach(q -> queues.append(queues.isEmpty() ? "" : ", ").append(q.asText()));
            rows.append("<tr data-worker=\"").append(Html.text(w.path("id").asText())).append("\"><td>").append(Html.text(w.path("id").asText()))
                    .append("</td><td>").append(Html.text(w.path("host").asText())).append("</td><td>").append(w.path("pid").asLong())
                    .append("</td><td>").append(Html.text(queues)).append("</td><td>")
                    .append(Math.max(0, w.path("jobsStarted").asLong() - w.path("inFlight").asLong())).append("</td><td>")
                    .append(w.path("inFlight").asLong()).append("</td><td>").append(Html.age(now - w.path("heartbeatAt").asLong(now)))
                    .append(" ago</td><td>").append(Html.age(now - w.path("startedAt").asLong(now))).append("</td><td>")
                    .append(Html.text(w.path("generation").asText("0"))).append("</td></tr>");
            count++;
        }
        String body = "<table id=\"workers\"><thead><tr><th>Worker</th><th>Host</th><th>Pid</th><th>Versions served</th><th>Jobs done</th>"
                + "<th>Held now</th><th>Last heartbeat</th><th>Uptime</th><th>Recycles</th></tr></thead><tbody>" + rows
                + (count == 0 ? "<tr><td colspan=\"9\">No live worker.</td></tr>" : "") + "</tbody></table>";
        Page.send(res, 200, "Workers (" + count + ")", viewer, body);
    }
}

package dev.packline.console.pages;

import dev.packline.console.web.ConsoleRefusal;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import io.helidon.webserver.http.ServerRequest;

/** The queue version a console path names ({@code /queues/{queue}/{version}}), which must exist. */
final class QueuePaths {
    private QueuePaths() {
    }

    static QueueVersion version(ServerRequest req, QueueInspector inspector) {
        String queue = req.path().pathParameters().get("queue");
        String version = req.path().pathParameters().get("version");
        QueueVersion v;
        try {
            v = QueueVersion.of(queue, Integer.parseInt(version));
        } catch (IllegalArgumentException e) {
            throw ConsoleRefusal.notFound("no queue version '" + queue + ":" + version + "'");
        }
        if (!inspector.queueNames().contains(queue) || inspector.versions(queue).stream().noneMatch(s -> s.counts().queue().equals(v))) {
            throw ConsoleRefusal.notFound("no queue version " + v.label());
        }
        return v;
    }

    static String href(QueueVersion v) {
        return "/queues/" + v.name() + "/" + v.version();
    }
}

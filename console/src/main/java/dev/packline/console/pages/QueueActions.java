package dev.packline.console.pages;

import dev.packline.console.audit.ActionAudit;
import dev.packline.console.auth.Permission;
import dev.packline.console.web.ConsoleRefusal;
import dev.packline.console.web.FormFields;
import dev.packline.console.web.Html;
import dev.packline.console.web.Page;
import dev.packline.console.web.Viewer;
import dev.packline.queue.JobRecord;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.QueueVersion;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The actions on a queue version ({@code POST /queues/{queue}/{version}/actions/{action}}): pause,
 * resume, requeue and delete dead letters (selected, or all matching a filter), make current, drain,
 * obliterate; and creating a version. Each checks the viewer's role, asks for a confirmation naming
 * what will happen when it destroys or moves work, and is written to the audit log with the account.
 */
public final class QueueActions {
    private static final Logger log = LoggerFactory.getLogger(QueueActions.class);
    /** A drain started from the console waits this long for the version's jobs to finish before it gives up (the version stays draining). */
    static final Duration DRAIN_TIMEOUT = Duration.ofHours(24);
    /** Dead letters a bulk action by filter reads at most. */
    static final int BULK_LIMIT = 10_000;

    private final QueueInspector inspector;
    private final ActionAudit audit;
    private final Clock clock;

    public QueueActions(QueueInspector inspector, ActionAudit audit, Clock clock) {
        this.inspector = inspector;
        this.audit = audit;
        this.clock = clock;
    }

    public void act(ServerRequest req, ServerResponse res, Viewer viewer, FormFields form) {
        QueueVersion v = QueuePaths.version(req, inspector);
        String action = req.path().pathParameters().get("action");
        String back = QueuePaths.href(v);
        boolean confirmed = "yes".equals(form.text(Page.CONFIRM_FIELD));
        String url = back + "/actions/" + action;
        String note = switch (action) {
            case "pause" -> {
                allowed(viewer, Permission.PAUSE_QUEUES, "pause a queue version", action, v);
                inspector.pause(v);
                yield v.label() + " is paused: its workers take no new job until it is resumed";
            }
            case "resume" -> {
                allowed(viewer, Permission.PAUSE_QUEUES, "resume a queue version", action, v);
                inspector.resume(v);
                yield v.label() + " is resumed";
            }
            case "requeue" -> {
                allowed(viewer, Permission.RETRY_JOBS, "requeue dead letters", action, v);
                List<String> ids = ids(form);
                yield inspector.requeueDead(v, ids) + " of " + ids.size() + " dead letters requeued to " + v.label();
            }
            case "delete" -> {
                allowed(viewer, Permission.DELETE_JOBS, "delete dead letters", action, v);
                List<String> ids = ids(form);
                if (!confirmed) {
                    Page.confirm(res, viewer, url, "Delete " + ids.size() + " dead letters of " + v.label() + " for good ("
                            + Html.cut(String.join(", ", ids), 300) + ")? Their payloads cannot be brought back.", form.toResend(), back + "?state=dead");
                    yield null;
                }
                yield inspector.deleteDead(v, ids) + " dead letters deleted from " + v.label();
            }
            case "requeue-matching", "delete-matching" -> {
                boolean requeue = action.startsWith("requeue");
                allowed(viewer, requeue ? Permission.RETRY_JOBS : Permission.DELETE_JOBS, requeue ? "requeue dead letters" : "delete dead letters",
                        action, v);
                String match = form.text("match") == null ? "" : form.text("match");
                List<String> ids = matching(v, match);
                if (!confirmed) {
                    Page.confirm(res, viewer, url, (requeue ? "Requeue " : "Delete for good ") + ids.size() + " dead letters of " + v.label()
                            + (match.isEmpty() ? " (every one)" : " whose error or payload contains '" + match + "'") + "?", form.toResend(),
                            back + "?state=dead");
                    yield null;
                }
                yield (requeue ? inspector.requeueDead(v, ids) + " dead letters requeued" : inspector.deleteDead(v, ids) + " dead letters deleted")
                        + " from " + v.label();
            }
            case "set-current" -> {
                allowed(viewer, Permission.CHANGE_VERSIONS, "change which version is current", action, v);
                if (!confirmed) {
                    Page.confirm(res, viewer, url, "Make " + v.label() + " the current version of " + v.name()
                            + "? Producers enqueue new jobs there from now on.", form.toResend(), back);
                    yield null;
                }
                inspector.setCurrent(v);
                yield v.label() + " is now the current version";
            }
            case "drain" -> {
                allowed(viewer, Permission.CHANGE_VERSIONS, "drain a queue version", action, v);
                if (inspector.current(v.name()).filter(v::equals).isPresent()) {
                    throw ConsoleRefusal.conflict("cannot drain " + v.label() + " while it is the current version; make another version current first");
                }
                if (!confirmed) {
                    QueueCounts c = inspector.counts(v);
                    Page.confirm(res, viewer, url, "Drain " + v.label() + "? It takes no new jobs; its " + c.unfinished()
                            + " unfinished jobs finish, then it is retired and its workers stop.", form.toResend(), back);
                    yield null;
                }
                startDrain(v, viewer.name());
                yield "draining " + v.label() + ": the counts above show the progress";
            }
            case "obliterate" -> {
                allowed(viewer, Permission.OBLITERATE, "obliterate a queue version", action, v);
                if (!confirmed) {
                    QueueCounts c = inspector.counts(v);
                    Page.confirm(res, viewer, url, "Obliterate " + v.label() + "? Every key of the version is deleted for good, with its "
                            + c.dead() + " dead letters and " + c.done() + " done records. Only a retired, idle version can be obliterated.",
                            form.toResend(), back);
                    yield null;
                }
                long keys = inspector.obliterate(v, false);
                audit.record(viewer.name(), action, v.label(), ActionAudit.Outcome.DONE, keys + " keys deleted");
                Page.seeOther(res, "/overview");
                yield null;
            }
            default -> throw ConsoleRefusal.notFound("no queue action '" + action + "'");
        };
        if (note != null) {
            audit.record(viewer.name(), action, v.label(), ActionAudit.Outcome.DONE, note);
            Page.seeOther(res, back + "?note=" + Html.url(note) + (action.contains("requeue") || action.contains("delete") ? "&state=dead" : ""));
        }
    }

    /** {@code POST /queues/{queue}/versions}: the queue's next version (current when the queue had none). */
    public void createVersion(ServerRequest req, ServerResponse res, Viewer viewer, FormFields form) {
        String queue = req.path().pathParameters().get("queue");
        if (!viewer.may(Permission.CHANGE_VERSIONS)) {
            audit.record(viewer.name(), "create-version", queue, ActionAudit.Outcome.REFUSED, "role " + viewer.account().role().wireName());
            viewer.require(Permission.CHANGE_VERSIONS, "create a queue version");
        }
        QueueVersion.requireValidName(queue);
        if (!"yes".equals(form.text(Page.CONFIRM_FIELD))) {
            Page.confirm(res, viewer, "/queues/" + queue + "/versions", "Create the next version of queue " + queue
                    + "? It starts empty; it becomes current only if the queue has no current version.", form.toResend(), "/overview");
            return;
        }
        QueueVersion made = inspector.newVersion(queue);
        audit.record(viewer.name(), "create-version", made.label(), ActionAudit.Outcome.DONE, "");
        Page.seeOther(res, QueuePaths.href(made) + "?note=" + Html.url(made.label() + " created"));
    }

    private void allowed(Viewer viewer, Permission permission, String what, String action, QueueVersion v) {
        if (!viewer.may(permission)) {
            audit.record(viewer.name(), action, v.label(), ActionAudit.Outcome.REFUSED, "role " + viewer.account().role().wireName());
            viewer.require(permission, what);
        }
    }

    private static List<String> ids(FormFields form) {
        List<String> ids = form.all("id");
        if (ids.isEmpty()) {
            throw ConsoleRefusal.conflict("no job selected: tick the dead letters to act on");
        }
        return ids;
    }

    private List<String> matching(QueueVersion v, String match) {
        List<String> ids = new ArrayList<>();
        for (String id : inspector.jobIds(v, JobState.DEAD, 0, BULK_LIMIT)) {
            if (match.isEmpty()) {
                ids.add(id);
                continue;
            }
            inspector.job(v, id).filter(j -> contains(j, match)).map(JobRecord::id).ifPresent(ids::add);
        }
        return ids;
    }

    private static boolean contains(JobRecord j, String match) {
        return j.id().contains(match) || (j.lastError() != null && j.lastError().contains(match)) || (j.payload() != null && j.payload().contains(match));
    }

    private void startDrain(QueueVersion v, String account) {
        inspector.markDraining(v); // refused here, at once, when it cannot drain; the wait below runs on its own
        Thread.ofVirtual().name("console-drain-" + v.label()).start(() -> {
            try {
                QueueCounts end = inspector.drain(v, DRAIN_TIMEOUT, Duration.ofSeconds(1), counts -> { });
                audit.record(account, "drain-finished", v.label(), ActionAudit.Outcome.DONE, "retired; " + end.dead() + " dead letters stay");
            } catch (QueueStateException e) {
                audit.record(account, "drain-finished", v.label(), ActionAudit.Outcome.FAILED, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the console stops: the version stays draining, a later drain finishes it
            } catch (RuntimeException e) {
                log.warn("drain of {} stopped: {}", v, e.getMessage());
                audit.record(account, "drain-finished", v.label(), ActionAudit.Outcome.FAILED, e.getMessage());
            }
        });
        log.info("{} started a drain of {} (started {})", account, v, Html.time(clock.millis()));
    }
}

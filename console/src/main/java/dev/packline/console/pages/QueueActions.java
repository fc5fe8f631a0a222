package dev.packline.console.pages;

import dev.packline.console.audit.ActionAudit;
import dev.packline.console.auth.Permission;
import dev.packline.console.web.ConsoleRefusal;
import dev.packline.console.web.FormFields;
import dev.packline.console.web.Html;
import dev.packline.console.web.Page;
import dev.packline.console.web.Viewer;
import dev.packline.queue.JobAction;
import dev.packline.queue.JobActionResult;
import dev.packline.queue.JobState;
import dev.packline.queue.QueueCounts;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.control.BulkResult;
import dev.packline.queue.control.JobActions;
import dev.packline.queue.control.JobFilter;
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
    private final QueueInspector inspector;
    private final JobActions jobs;
    private final ActionAudit audit;
    private final Clock clock;

    public QueueActions(QueueInspector inspector, JobActions jobs, ActionAudit audit, Clock clock) {
        this.inspector = inspector;
        this.jobs = jobs;
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
                yield summary(jobs.act(v, JobAction.REQUEUE, ids(form)), "requeued", v);
            }
            case "run-now" -> {
                allowed(viewer, Permission.RETRY_JOBS, "run jobs now", action, v);
                yield summary(jobs.act(v, JobAction.RUN_NOW, ids(form)), "made pending now", v);
            }
            case "delete", "cancel" -> {
                boolean delete = action.equals("delete");
                allowed(viewer, Permission.DELETE_JOBS, delete ? "delete jobs" : "cancel jobs", action, v);
                List<String> ids = ids(form);
                if (!confirmed) {
                    Page.confirm(res, viewer, url, (delete ? "Delete " + ids.size() + " jobs of " + v.label() + " for good ("
                            : "Cancel " + ids.size() + " jobs of " + v.label() + " (") + Html.cut(String.join(", ", ids), 300)
                            + (delete ? ")? Their payloads cannot be brought back." : ")? Pending ones never run; running ones are stopped by their worker."),
                            form.toResend(), back);
                    yield null;
                }
                yield summary(jobs.act(v, delete ? JobAction.DELETE : JobAction.CANCEL, ids), delete ? "deleted" : "cancelled", v);
            }
            case "requeue-matching", "delete-matching" -> {
                boolean requeue = action.startsWith("requeue");
                allowed(viewer, requeue ? Permission.RETRY_JOBS : Permission.DELETE_JOBS, requeue ? "requeue dead letters" : "delete dead letters",
                        action, v);
                String match = form.text("match") == null ? "" : form.text("match").strip();
                JobFilter filter = match.isEmpty() ? JobFilter.ANY : JobFilter.errorContains(match);
                JobAction bulkAction = requeue ? JobAction.REQUEUE : JobAction.DELETE;
                if (!confirmed) {
                    Page.confirm(res, viewer, url, (requeue ? "Requeue " : "Delete for good ") + jobs.count(v, JobState.DEAD, filter, bulkAction)
                            + " dead letters of " + v.label() + (match.isEmpty() ? " (every one)" : " whose error contains '" + match + "'") + "?",
                            form.toResend(), back + "?state=dead");
                    yield null;
                }
                BulkResult done = jobs.bulk(v, JobState.DEAD, filter, bulkAction);
                yield done.applied() + " of " + done.matched() + " matching dead letters " + (requeue ? "requeued" : "deleted") + " in " + v.label();
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
            Page.seeOther(res, back + "?note=" + Html.url(note) + (action.contains("requeue") ? "&state=dead" : ""));
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

    /** "3 of 4 jobs requeued to package:3 (1 not found)": the outcomes of an action on chosen ids, in words. */
    private static String summary(List<JobActionResult> results, String verb, QueueVersion v) {
        long applied = results.stream().filter(r -> r.outcome().applied()).count();
        StringBuilder text = new StringBuilder(applied + " of " + results.size() + " jobs " + verb + " in " + v.label());
        java.util.Map<String, Long> skipped = new java.util.TreeMap<>();
        results.stream().filter(r -> !r.outcome().applied())
                .forEach(r -> skipped.merge(r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), 1L, Long::sum));
        if (!skipped.isEmpty()) {
            text.append(" (skipped: ").append(skipped.toString().replaceAll("[{}]", "").replace("=", ": ")).append(")");
        }
        return text.toString();
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

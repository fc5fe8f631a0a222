package dev.packline.console;

import dev.packline.console.audit.ActionAudit;
import dev.packline.console.auth.SignIn;
import dev.packline.console.auth.Sessions;
import dev.packline.console.live.LiveStream;
import dev.packline.console.pages.AuditPage;
import dev.packline.console.pages.DeadLettersPage;
import dev.packline.console.pages.OverviewPage;
import dev.packline.console.pages.QueueActions;
import dev.packline.console.pages.QueueVersionPage;
import dev.packline.console.pages.ReleaseActions;
import dev.packline.console.pages.ReleasesPage;
import dev.packline.console.pages.RequestListPage;
import dev.packline.console.pages.RequestsPage;
import dev.packline.console.pages.SignInPage;
import dev.packline.console.pages.WorkersPage;
import dev.packline.console.web.Assets;
import dev.packline.console.web.ConsoleRefusal;
import dev.packline.console.web.Gate;
import dev.packline.console.web.Page;
import dev.packline.http.input.FramingFilter;
import dev.packline.http.input.ConnectionDeadlines;
import dev.packline.http.input.HttpLimits;
import dev.packline.http.input.InputRefusedException;
import dev.packline.pipeline.RequestIndex;
import dev.packline.pipeline.RequestStore;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueStateException;
import dev.packline.queue.control.JobActions;
import dev.packline.queue.control.JobBrowser;
import dev.packline.queue.control.WorkerDirectory;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.redis.Retention;
import dev.packline.redis.RedisConnector;
import dev.packline.releases.ReleaseException;
import dev.packline.releases.redis.InstallReports;
import dev.packline.releases.redis.RedisReleaseStore;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The console in one process: wires the parts and owns their lifecycle. Start it with {@link #start},
 * read the bound {@link #port()}, {@link #close()} it.
 *
 * <p>Start order: the Redis client, the libraries over it (queue broker and inspector, request
 * store, release store and install reports), the sessions, sign-in and audit log, the pages, the
 * web server, and then the one-off backfill of the request index in the background (the requests
 * list works meanwhile, missing only the requests it has not reached yet). Shutdown: the backfill is
 * interrupted (it stops between pages of keys), the server stops taking requests (live streams end,
 * browsers reconnect elsewhere), then Redis closes. The console talks to Redis only, through the libraries the other
 * apps use; it never calls the worker or the API process.
 */
public final class ConsoleServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);
    /** How long the pipeline keeps a request: the console never creates one nor adds to the index, so this only fills their parameter. */
    private static final Duration REQUEST_RETENTION = Duration.ofDays(7);

    /** Everything the routes need. */
    record Pages(Gate gate, SignInPage signIn, OverviewPage overview, QueueVersionPage queue, QueueActions queueActions, WorkersPage workers,
                 DeadLettersPage deadLetters, RequestListPage requestList, RequestsPage requests, ReleasesPage releases, ReleaseActions releaseActions, AuditPage audit) {
    }

    private final UnifiedJedis redis;
    private final RedisQueueBroker broker;
    private final ConnectionDeadlines deadlines;
    private final WebServer server;
    private final RequestIndex requestIndex;
    private Thread backfill;

    private ConsoleServer(ConsoleConfig config, Clock clock) {
        this.redis = RedisConnector.open(config.redisUrl());
        this.broker = new RedisQueueBroker(redis, RedisConnector.describe(config.redisUrl()), clock, Retention.DEFAULT, false);
        QueueInspector inspector = new QueueInspector(broker, clock);
        JobActions jobs = new JobActions(broker);
        RequestStore requests = new RequestStore(redis, clock, REQUEST_RETENTION);
        this.requestIndex = new RequestIndex(redis, REQUEST_RETENTION);
        RedisReleaseStore releases = new RedisReleaseStore(redis, clock);
        InstallReports reports = new InstallReports(redis);
        Sessions sessions = new Sessions(redis, clock, config.sessionIdle(), config.sessionMaxAge());
        SignIn signIn = new SignIn(config.accounts(), redis, config.lockout());
        ActionAudit audit = new ActionAudit(redis, clock);
        long maxBody = config.server().maxBodyBytes();
        Gate gate = new Gate(sessions, signIn, config.server().secureCookies(), maxBody);
        LiveStream live = new LiveStream(config.liveInterval(), LiveStream.HEARTBEAT, Duration.ofMinutes(10));
        Pages pages = new Pages(gate, new SignInPage(signIn, sessions, gate, audit, maxBody), new OverviewPage(inspector, live, clock),
                new QueueVersionPage(inspector, new JobBrowser(broker), live, clock), new QueueActions(inspector, jobs, audit, clock),
                new WorkersPage(new WorkerDirectory(broker), audit, clock), new DeadLettersPage(inspector, jobs, audit),
                new RequestListPage(requestIndex, requests, clock), new RequestsPage(requests, audit, clock), new ReleasesPage(releases, reports),
                new ReleaseActions(releases, requests, audit), new AuditPage(audit));
        HttpLimits limits = HttpLimits.defaults(maxBody);
        this.deadlines = new ConnectionDeadlines(limits);
        this.server = limits.applyTo(WebServer.builder(), deadlines)
                .host(config.server().bind())
                .port(config.server().port())
                .routing(routing -> routing(routing, pages, deadlines.filter()))
                .build();
    }

    /** Every route of the console, in one place: pages are GET, actions are POST through the gate's CSRF check. */
    static void routing(HttpRouting.Builder r, Pages p, Filter deadlines) {
        Gate g = p.gate();
        r.addFilter(deadlines) // first: a request's head has arrived, its body has its own deadline
                .addFilter(new FramingFilter())
                .get("/assets/htmx.js", Assets.htmx())
                .get("/assets/sse.js", Assets.sse())
                .get("/assets/console.js", Assets.script())
                .get("/assets/console.css", Assets.css())
                .get("/sign-in", p.signIn()::show)
                .post("/sign-in", p.signIn()::submit)
                .post("/sign-out", g.action(p.signIn()::signOut))
                .get("/", g.page((req, res, viewer) -> Page.seeOther(res, viewer.may(dev.packline.console.auth.Permission.QUEUES)
                        ? "/overview" : "/releases")))
                .get("/overview", g.page(p.overview()::show))
                .get("/live/overview", g.page(p.overview()::stream))
                .post("/queues/{queue}/versions", g.action(p.queueActions()::createVersion))
                .get("/queues/{queue}/{version}", g.page(p.queue()::show))
                .get("/live/queues/{queue}/{version}", g.page(p.queue()::stream))
                .get("/queues/{queue}/{version}/jobs/{id}", g.page(p.queue()::job))
                .post("/queues/{queue}/{version}/actions/{action}", g.action(p.queueActions()::act))
                .get("/workers", g.page(p.workers()::show))
                .post("/workers/{id}/{command}", g.action(p.workers()::ask))
                .get("/dead-letters", g.page(p.deadLetters()::show))
                .post("/dead-letters/actions/{action}", g.action(p.deadLetters()::act))
                .get("/requests", g.page(p.requestList()::show))
                .get("/requests/{id}", g.page(p.requests()::request))
                .post("/requests/{id}/cancel", g.action(p.requests()::cancel))
                .get("/releases", g.page(p.releases()::list))
                .get("/releases/{app}/{id}", g.page(p.releases()::release))
                .post("/releases/{app}", g.action(p.releaseActions()::create))
                .post("/releases/{app}/{id}/actions/{action}", g.action(p.releaseActions()::act))
                .get("/audit", g.page(p.audit()::show))
                .error(InputRefusedException.class, (req, res, e) -> refused(req, res, g, e.status(),
                        "The form was refused: " + e.getMessage(), e.problems().stream().map(pr -> pr.field() + ": " + pr.message()).toList()))
                .error(ConsoleRefusal.class, (req, res, e) -> refused(req, res, g, e.status(), e.getMessage(), List.of()))
                .error(QueueStateException.class, (req, res, e) -> refused(req, res, g, 409, e.getMessage(), List.of()))
                .error(ReleaseException.class, (req, res, e) -> refused(req, res, g, switch (e.refusal()) {
                    case NOT_FOUND -> 404;
                    case FORBIDDEN -> 403;
                    case INVALID -> 400;
                    case NOT_ALLOWED, CONFLICT -> 409;
                }, e.getMessage(), List.of()))
                .error(IllegalArgumentException.class, (req, res, e) -> refused(req, res, g, 400, e.getMessage(), List.of()));
    }

    private static void refused(ServerRequest req, ServerResponse res, Gate gate, int status, String message, List<String> details) {
        Page.error(res, status, gate.viewer(req).orElse(null), message, details);
    }

    /** Starts on the configuration's port (0 = a free one); the caller closes it. */
    public static ConsoleServer start(ConsoleConfig config, Clock clock) {
        ConsoleServer console = new ConsoleServer(config, clock);
        try {
            console.server.start();
        } catch (RuntimeException e) {
            console.close();
            throw e;
        }
        log.info("console listening on http://{}:{} ({} accounts, Redis {})", config.server().bind(), console.port(), config.accounts().size(),
                RedisConnector.describe(config.redisUrl()));
        console.backfill = Thread.ofPlatform().daemon().name("request-index-backfill").start(console::backfillRequestIndex);
        return console;
    }

    /**
     * Lists in the request index the requests it misses (created before it existed), once: without
     * this the requests page would find them by id only. A failure only leaves them so, and is logged.
     */
    private void backfillRequestIndex() {
        try {
            RequestIndex.Backfill done = requestIndex.backfill();
            if (done.added() > 0) {
                log.info("request index backfill: {} requests listed of {} kept", done.added(), done.examined());
            }
        } catch (RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) {
                log.warn("request index backfill failed; requests created before the index existed are found by id only: {}", e.toString());
            }
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        if (backfill != null) {
            backfill.interrupt();
            try {
                backfill.join(Duration.ofSeconds(5)); // it stops between pages of keys; a daemon thread, it never holds up the exit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (server.isRunning()) {
            server.stop();
        }
        deadlines.close();
        broker.close();
        redis.close();
    }
}

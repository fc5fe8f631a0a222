package dev.packline.console;

import dev.packline.console.auth.PasswordHashes;
import dev.packline.pipeline.RequestStore;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.retry.Backoff;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.Subscription;
import dev.packline.queue.worker.Worker;
import dev.packline.queue.worker.WorkerTimings;
import dev.packline.redis.RedisConnector;
import dev.packline.releases.redis.InstallReports;
import dev.packline.releases.redis.RedisReleaseStore;
import dev.packline.settings.Settings;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.JavascriptExecutor;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a browser test class of the console runs against: a real console server on the test
 * redis-server with five accounts (ada admin, otto oncall, alice publisher of pub-a, bob publisher
 * of pub-b, mallory admin for the lockout), one headless chromium, the libraries the other apps
 * write Redis with (queues, requests, releases, install reports), and the real workers a test starts.
 * A test class registers one ({@code @RegisterExtension static final ConsoleTestBed bed = new ConsoleTestBed();}):
 * it starts before the class's first test and stops after its last.
 */
final class ConsoleTestBed implements BeforeAllCallback, AfterAllCallback {
    static final String PASSWORD = "correct horse battery";
    static final WorkerTimings FAST = WorkerTimings.DEFAULT.withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(2))
            .withShutdownTimeout(Duration.ofSeconds(2));
    static final Backoff QUICK = new Backoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(200), 0.0);

    ConsoleServer console;
    Browser browser;
    RedisQueueBroker broker;
    QueueInspector inspector;
    UnifiedJedis redis;
    RedisReleaseStore releases;
    InstallReports reports;
    RequestStore requests;
    private final List<Worker> workers = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        String hash = PasswordHashes.hash(PASSWORD.toCharArray());
        String yaml = """
                server: {port: 0}
                lockout: {maxFailures: 3, window: 10m}
                live: {refreshInterval: 200ms}
                accounts:
                  ada: {passwordHash: "%1$s", role: admin}
                  otto: {passwordHash: "%1$s", role: oncall}
                  alice: {passwordHash: "%1$s", role: publisher, publisher: pub-a}
                  bob: {passwordHash: "%1$s", role: publisher, publisher: pub-b}
                  mallory: {passwordHash: "%1$s", role: admin}
                """.formatted(hash);
        ConsoleConfig config = ConsoleConfig.read(Settings.parse("test", yaml, Map.of())).withRedisUrl(TestRedis.url());
        console = ConsoleServer.start(config, Clock.systemUTC());
        broker = TestRedis.broker(Clock.systemUTC());
        inspector = new QueueInspector(broker, Clock.systemUTC());
        redis = RedisConnector.open(TestRedis.url(), 4);
        releases = new RedisReleaseStore(redis, Clock.systemUTC());
        reports = new InstallReports(redis);
        requests = new RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
        browser = new Browser("http://127.0.0.1:" + console.port());
    }

    /** A worker on {@code queue}, retrying failed jobs quickly; closed with the bed. */
    Worker worker(QueueVersion queue, JobHandler handler) {
        return worker(queue, handler, QUICK);
    }

    Worker worker(QueueVersion queue, JobHandler handler, Backoff backoff) {
        return worker(Worker.Params.of(broker, List.of(new Subscription(queue, handler, 4, backoff))));
    }

    /** A worker of these parameters, with the bed's fast heartbeat; closed with the bed. */
    Worker worker(Worker.Params params) {
        Worker w = new Worker(params.withTimings(FAST)).start();
        workers.add(w);
        return w;
    }

    /** Stops every worker started so far. */
    void closeWorkers() {
        workers.forEach(Worker::close);
    }

    /** Submits a form made in the page (what a forged or hand-made request looks like to the server). */
    void submitForm(String action, Map<String, String> fields) {
        StringBuilder js = new StringBuilder("const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];");
        fields.forEach((k, v) -> js.append("{const i = document.createElement('input'); i.type='hidden'; i.name='").append(k)
                .append("'; i.value='").append(v).append("'; f.appendChild(i);}"));
        js.append("document.body.appendChild(f); f.submit();");
        ((JavascriptExecutor) browser.driver()).executeScript(js.toString(), action);
    }

    /** Polls (up to 30 s) until {@code done} holds: for states real workers reach on their own. */
    static void awaitTrue(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeWorkers();
        for (AutoCloseable part : new AutoCloseable[] {browser, console, broker, redis}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing the console test bed", e);
                }
            }
        }
    }
}

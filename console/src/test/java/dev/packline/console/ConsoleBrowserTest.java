package dev.packline.console;

import dev.packline.queue.JobState;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.queue.worker.Worker;
import dev.packline.releases.Artifact;
import dev.packline.releases.NewRelease;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseKind;
import dev.packline.releases.ReleaseState;
import dev.packline.releases.redis.RedisReleaseStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real headless chromium, against a real console server on a real redis-server,
 * with real workers: the scenarios of issue 18. One browser and one server for the class; each test
 * signs in as the account it needs and works on queues and apps of its own. Screenshots of each
 * page go to docs/console/.
 */
class ConsoleBrowserTest {
    static final String PASSWORD = ConsoleTestBed.PASSWORD;

    @RegisterExtension
    static final ConsoleTestBed bed = new ConsoleTestBed();
    static Browser browser;
    static RedisQueueBroker broker;
    static QueueInspector inspector;
    static UnifiedJedis redis;
    static RedisReleaseStore releases;

    @BeforeAll
    static void start() {
        browser = bed.browser;
        broker = bed.broker;
        inspector = bed.inspector;
        redis = bed.redis;
        releases = bed.releases;
    }

    static Worker worker(QueueVersion queue, JobHandler handler) {
        return bed.worker(queue, handler);
    }

    static String row(QueueVersion queue) {
        return "tr[data-queue='" + queue.label() + "']";
    }

    @Test
    void signsInAndSeesAQueueFillAndDrainLive() throws Exception {
        browser.driver().manage().deleteAllCookies();
        browser.open("/overview");
        browser.await("the sign-in page is shown", d -> d.getCurrentUrl().endsWith("/sign-in"));
        browser.screenshot("sign-in");
        browser.signIn("ada", PASSWORD);
        browser.await("the overview is shown", d -> d.getCurrentUrl().endsWith("/overview"));
        assertEquals("ada (admin)", browser.text("#who"));

        QueueVersion queue = inspector.ensureQueue(TestRedis.uniqueQueue("fill"));
        browser.await("the new queue appears without a reload", d -> browser.count(row(queue)) == 1);
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            jobs.add(NewJob.of("{\"n\":" + i + "}"));
        }
        new QueueClient(broker).enqueueBatch(queue, jobs);
        browser.await("20 pending jobs show live", d -> browser.text(row(queue) + " td.pending").equals("20"));
        assertTrue(browser.text("#alarms").contains("20 jobs pending and no live worker"), browser.text("#alarms"));
        assertEquals("active", browser.text(row(queue) + " td.state"));
        assertEquals("current", browser.text(row(queue) + " td.current"), "the first version is current");
        assertEquals("0", browser.text(row(queue) + " td.workers"));
        browser.await("the oldest pending job's age shows", d -> browser.text(row(queue) + " td.oldest").matches("\\d+[smhd].*"));
        browser.screenshot("overview");

        worker(queue, job -> Thread.sleep(20));
        browser.await("the live worker shows", d -> browser.text(row(queue) + " td.workers").equals("1"));
        browser.await("the queue drains live", d -> browser.text(row(queue) + " td.done").equals("20")
                && browser.text(row(queue) + " td.pending").equals("0"));
        // the rate counts whole minutes (QueueCounts.completedPerMinute): the 20 completions show once their minute has ended
        browser.await("the completion rate shows", Duration.ofSeconds(90), d -> Double.parseDouble(browser.text(row(queue) + " td.rate")) > 0);
        assertEquals("", browser.text(row(queue) + " td.oldest"), "nothing pending, no age");
        assertFalse(browser.text("#alarms").contains(queue.label()), browser.text("#alarms"));
        assertEquals(0, inspector.counts(queue).pending());
    }

    @Test
    void oncallRetriesADeadLetter() throws Exception {
        QueueVersion queue = inspector.ensureQueue(TestRedis.uniqueQueue("dead"));
        new QueueClient(broker).enqueue(queue, NewJob.of("{\"requestId\":\"req-77\",\"channel\":\"huawei\"}").withId("job-77").withMaxAttempts(1));
        Worker failing = worker(queue, job -> {
            throw new RejectJobException("upstream store answered 503");
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (inspector.counts(queue).dead() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        failing.close();
        assertEquals(1, inspector.counts(queue).dead());

        browser.signIn("otto", PASSWORD);
        browser.open("/queues/" + queue.name() + "/1?state=dead");
        assertEquals("1", browser.text("#count-dead"));
        assertTrue(browser.text("#jobs").contains("upstream store answered 503"), browser.text("#jobs"));
        assertEquals(0, browser.count("#delete-selected"), "oncall may not delete");
        browser.screenshot("queue-version");
        browser.find("#search").sendKeys("req-77");
        browser.find("#search").submit();
        browser.await("the search by request id finds the job", d -> browser.count("tr[data-job='job-77']") == 1);
        browser.open("/queues/" + queue.name() + "/1/jobs/job-77");
        assertEquals("dead", browser.text("#job-state"));
        assertTrue(browser.text("#payload").contains("req-77"));
        browser.screenshot("job");
        browser.open("/dead-letters");
        assertTrue(browser.text("#dead-groups").contains("upstream store answered 503"));
        browser.screenshot("dead-letters");

        browser.open("/queues/" + queue.name() + "/1?state=dead");
        browser.find("tr[data-job='job-77'] input[type=checkbox]").click();
        browser.find("#requeue-selected").click();
        browser.await("the requeue is confirmed", d -> browser.count("#note") == 1);
        assertTrue(browser.text("#note").startsWith("1 of 1 jobs requeued"), browser.text("#note"));
        assertEquals(JobState.PENDING, inspector.job(queue, "job-77").orElseThrow().state());
        browser.open("/audit");
        assertTrue(browser.text("#audit").contains("otto requeue " + queue.label() + " done"), browser.text("#audit"));
        browser.screenshot("audit");
    }

    @Test
    void adminMovesWorkToANewVersionAndDrainsTheOldOneLive() throws Exception {
        QueueVersion v1 = inspector.ensureQueue(TestRedis.uniqueQueue("move"));
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(NewJob.of("{\"n\":" + i + "}"));
        }
        new QueueClient(broker).enqueueBatch(v1, jobs);
        browser.signIn("ada", PASSWORD);
        browser.open("/queues/" + v1.name() + "/1");
        browser.driver().findElement(By.xpath("//button[starts-with(text(), 'Create a new version')]")).click();
        assertTrue(browser.text("#confirm-text").startsWith("Create the next version of queue " + v1.name()), browser.text("#confirm-text"));
        browser.find("#confirm").click();
        browser.await("version 2 is shown", d -> d.getCurrentUrl().contains("/queues/" + v1.name() + "/2"));
        browser.driver().findElement(By.xpath("//button[text()='Make current']")).click();
        browser.find("#confirm").click();
        browser.await("version 2 is current", d -> browser.text("#version-state").contains("current"));
        assertEquals(QueueVersion.of(v1.name(), 2), inspector.current(v1.name()).orElseThrow());

        browser.open("/queues/" + v1.name() + "/1");
        browser.driver().findElement(By.xpath("//button[text()='Drain']")).click();
        assertTrue(browser.text("#confirm-text").contains("its 5 unfinished jobs finish"), browser.text("#confirm-text"));
        browser.find("#confirm").click();
        browser.await("the drain shows its progress", d -> browser.text("#drain-progress").startsWith("Draining: 5 jobs left"));
        browser.screenshot("drain");
        // a mark on this document: were the page reloaded (not updated over its event stream), the mark would be gone
        ((JavascriptExecutor) browser.driver()).executeScript("window.drainPageMark = 'same document';");
        worker(v1, job -> Thread.sleep(20));
        browser.await("the drain finishes live", d -> browser.text("#drain-progress").startsWith("Retired"));
        assertEquals("same document", ((JavascriptExecutor) browser.driver()).executeScript("return window.drainPageMark;"),
                "the progress arrived over the page's live stream, without a reload");
        assertEquals(dev.packline.queue.VersionState.RETIRED, inspector.counts(v1).state());
    }

    @Test
    void oncallCannotObliterate() {
        QueueVersion queue = inspector.ensureQueue(TestRedis.uniqueQueue("keep"));
        browser.signIn("otto", PASSWORD);
        browser.open("/queues/" + queue.name() + "/1");
        assertTrue(browser.driver().findElements(By.xpath("//button[text()='Obliterate']")).isEmpty(), "no obliterate button for oncall");
        assertTrue(browser.driver().findElements(By.xpath("//button[text()='Drain']")).isEmpty(), "no version changes for oncall");
        // the button is only a convenience: a hand-made form with a valid CSRF token is refused by the server
        String csrf = browser.find("input[name=csrf]").getAttribute("value");
        submitForm("/queues/" + queue.name() + "/1/actions/obliterate", Map.of("csrf", csrf, "confirmed", "yes"));
        browser.await("the refusal page", d -> browser.count("#error") == 1);
        assertEquals("Refused", browser.text("h1"));
        assertTrue(browser.text("#error").contains("the oncall role may not obliterate"), browser.text("#error"));
        assertFalse(inspector.versions(queue.name()).isEmpty(), "the version is still there");
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefused() {
        QueueVersion queue = inspector.ensureQueue(TestRedis.uniqueQueue("csrf"));
        browser.signIn("ada", PASSWORD);
        browser.open("/queues/" + queue.name() + "/1");
        ((JavascriptExecutor) browser.driver()).executeScript(
                "const f = document.querySelector(\"form[action$='/actions/pause']\"); f.querySelector('input[name=csrf]').remove(); f.submit();");
        browser.await("the refusal page", d -> browser.count("#error") == 1);
        assertTrue(browser.text("#error").contains("CSRF token is missing"), browser.text("#error"));
        assertFalse(inspector.counts(queue).paused(), "nothing was done");
        // with its token the same form works
        browser.open("/queues/" + queue.name() + "/1");
        browser.driver().findElement(By.xpath("//button[text()='Pause']")).click();
        browser.await("paused", d -> browser.count("#note") == 1);
        assertTrue(inspector.counts(queue).paused());
    }

    @Test
    void publisherRunsAGrayReleaseFromWhitelistToFull() {
        String appId = "app-a-" + ProcessHandle.current().pid();
        releases.createApp(appId, "pub-a", List.of("production"), "test");
        Release draft = releases.create(new NewRelease(appId, "production", "android", ReleaseKind.BUNDLE, "2.4.0", "*",
                Map.of(Release.ANY_CHANNEL, new Artifact(null, "https://cdn.example.com/b-2.4.0.zip", 1234, "a".repeat(64), null)), List.of(),
                false, "fixes", List.of(), null), "test");
        browser.signIn("alice", PASSWORD);
        browser.await("publishers land on the releases page", d -> d.getCurrentUrl().endsWith("/releases"));
        assertTrue(browser.count("#app-" + appId) == 1);
        browser.open("/releases/" + appId + "/" + draft.id());
        browser.find("#whitelist").sendKeys("tester-1\ntester-2");
        browser.find("#save-whitelist").click();
        browser.await("whitelist saved", d -> browser.text("#whitelist-size").equals("2 client ids"));
        browser.find("#percentage").clear();
        browser.find("#percentage").sendKeys("10");
        browser.find("#save-percentage").click();
        browser.await("percentage saved", d -> browser.text("#gray").startsWith("10%"));
        browser.driver().findElement(By.xpath("//button[text()='Start the gray rollout']")).click();
        assertTrue(browser.text("#confirm-text").contains("2 whitelisted clients and 10%"), browser.text("#confirm-text"));
        browser.find("#confirm").click();
        browser.await("rolling out", d -> browser.text("#release-state").equals("rolling_out"));
        browser.screenshot("release");
        browser.driver().findElement(By.xpath("//button[text()='Go full']")).click();
        assertTrue(browser.text("#confirm-text").contains("This publishes it to everyone"), browser.text("#confirm-text"));
        browser.find("#confirm").click();
        browser.await("full", d -> browser.text("#release-state").equals("full"));
        Release after = releases.release(appId, draft.id()).orElseThrow();
        assertEquals(ReleaseState.FULL, after.state());
        assertEquals(List.of("tester-1", "tester-2"), after.rollout().whitelist());
        assertTrue(browser.text("#release-audit").contains("console:alice"), browser.text("#release-audit"));
        browser.open("/releases");
        browser.screenshot("releases");
    }

    @Test
    void publisherFollowsItsRequestAndMakesARelease() throws Exception {
        String appId = "app-c-" + ProcessHandle.current().pid();
        String requestId = "req-c-" + ProcessHandle.current().pid();
        releases.createApp(appId, "pub-a", List.of("production"), "test");
        dev.packline.pipeline.RequestStore requests = new dev.packline.pipeline.RequestStore(redis, Clock.systemUTC(), Duration.ofDays(1));
        requests.create(new dev.packline.pipeline.PackagingRequest(requestId, "pub-a", appId, "https://cdn.example.com/game.apk",
                List.of(new dev.packline.pipeline.ChannelSpec("huawei", Map.of()), new dev.packline.pipeline.ChannelSpec("xiaomi", Map.of())),
                null, "local", null, null, null, null, null));
        for (int i = 0; i < 2; i++) {
            requests.progress(requestId, i, dev.packline.pipeline.Stage.UPLOAD, dev.packline.pipeline.RequestStore.Outcome.DONE,
                    Map.of("objectKey", "game/" + i + ".apk", "url", "https://cdn.example.com/game/" + i + ".apk", "bytes", 1000 + i,
                            "sha256", String.valueOf(i).repeat(64), "store", "local"), true);
        }
        browser.signIn("alice", PASSWORD);
        browser.open("/requests?id=" + requestId);
        browser.await("the request page", d -> browser.count("#request-state") == 1);
        assertEquals("done", browser.text("#request-state"));
        assertTrue(browser.text("#channels").contains("huawei") && browser.text("#channels").contains("xiaomi"), browser.text("#channels"));
        browser.screenshot("request");

        browser.open("/releases");
        String form = "#app-" + appId + " form[action='/releases/" + appId + "'] ";
        browser.find("#app-" + appId + " summary").click();
        browser.find(form + "input[name=fromRequest]").sendKeys(requestId);
        browser.find(form + "input[name=version]").sendKeys("3.1.0");
        browser.find(form + "button").click();
        browser.await("the draft is shown", d -> browser.count("#release-state") == 1);
        assertEquals("draft", browser.text("#release-state"));
        Release made = releases.releases(appId).getFirst();
        assertEquals("request:" + requestId, made.source());
        assertEquals(java.util.Set.of("huawei", "xiaomi"), made.artifacts().keySet());

        browser.signIn("bob", PASSWORD);
        browser.open("/requests/" + requestId);
        assertEquals("Not found", browser.text("h1"), "another publisher's request reads as not found");
    }

    @Test
    void aPublisherCannotSeeAnotherPublishersRelease() {
        String appId = "app-b-" + ProcessHandle.current().pid();
        releases.createApp(appId, "pub-a", List.of("production"), "test");
        Release theirs = releases.create(new NewRelease(appId, "production", "android", ReleaseKind.BUNDLE, "1.0.0", "*",
                Map.of(Release.ANY_CHANNEL, new Artifact(null, "https://cdn.example.com/b-1.0.0.zip", 10, "b".repeat(64), null)), List.of(),
                false, null, List.of(), null), "test");
        browser.signIn("bob", PASSWORD);
        browser.open("/releases");
        assertFalse(browser.driver().getPageSource().contains(appId), "bob's release list names no app of pub-a");
        browser.open("/releases/" + appId + "/" + theirs.id());
        assertEquals("Not found", browser.text("h1"));
        assertEquals("no app '" + appId + "'", browser.text("#error"), "reads exactly like an app that does not exist");
        // nor can bob act on it: a hand-made form with his own valid CSRF token reads the same
        String csrf = browser.find("input[name=csrf]").getAttribute("value");
        submitForm("/releases/" + appId + "/" + theirs.id() + "/actions/set-percentage", Map.of("csrf", csrf, "percentage", "100", "confirmed", "yes"));
        browser.await("the refusal page", d -> browser.count("#error") == 1 && d.getCurrentUrl().contains("/actions/"));
        assertEquals("Not found", browser.text("h1"));
        assertEquals("no app '" + appId + "'", browser.text("#error"));
        assertEquals(0, releases.release(appId, theirs.id()).orElseThrow().rollout().basisPoints(), "the release is untouched");
        browser.open("/overview");
        assertEquals("Refused", browser.text("h1"), "publishers see no queues");
    }

    @Test
    void repeatedFailedSignInsLockTheAccount() {
        for (int i = 0; i < 3; i++) {
            browser.signIn("mallory", "wrong password " + i);
        }
        assertTrue(browser.text("#error").contains("locked"), browser.text("#error"));
        browser.signIn("mallory", PASSWORD);
        assertTrue(browser.text("#error").contains("locked"), "the right password is refused too while locked");
        assertTrue(browser.driver().getCurrentUrl().endsWith("/sign-in"));
    }

    @Test
    void showsWorkersAndRequests() throws Exception {
        QueueVersion queue = inspector.ensureQueue(TestRedis.uniqueQueue("idle"));
        bed.closeWorkers(); // the one live worker is this test's
        worker(queue, job -> { });
        browser.signIn("ada", PASSWORD);
        browser.open("/workers");
        browser.await("a live worker", d -> {
            d.navigate().refresh();
            return browser.text("#workers").contains(queue.label());
        });
        browser.screenshot("workers");
        browser.find("tr[data-worker] button.danger").click();
        assertTrue(browser.text("#confirm-text").startsWith("Stop worker "), browser.text("#confirm-text"));
        browser.find("#confirm").click();
        browser.await("the stop is asked", d -> browser.count("#note") == 1);
        assertTrue(browser.text("#note").endsWith("asked to stop at its next heartbeat"), browser.text("#note"));
        browser.open("/requests?id=no-such-request");
        assertEquals("Not found", browser.text("h1"));
    }

    private static void submitForm(String action, Map<String, String> fields) {
        bed.submitForm(action, fields);
    }
}

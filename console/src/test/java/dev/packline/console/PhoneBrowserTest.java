package dev.packline.console;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.queue.worker.Worker;
import dev.packline.releases.Artifact;
import dev.packline.releases.InstallEvent;
import dev.packline.releases.LabelType;
import dev.packline.releases.NewRelease;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every console page in a real chromium the size of a phone (390 x 844 CSS pixels), filled with
 * what makes pages wide (long payloads, errors and URLs without a space, many columns): the page
 * never scrolls sideways (wide tables scroll inside themselves), and every button and field of the
 * page is wholly in sight without scrolling sideways, nothing covering it (a link at least its
 * middle, where a finger taps). Then the main actions
 * are used there: a dead letter ticked and requeued, a worker asked to recycle. Writes the phone
 * screenshots of docs/console.md.
 */
class PhoneBrowserTest {
    static final int WIDTH = 390;
    static final int HEIGHT = 844;
    /** A word no line break can split: what a long error, URL or payload looks like to the layout. */
    static final String LONG_WORD = "https://cdn.example.com/" + "very-long-path-segment/".repeat(12) + "game.apk";

    @RegisterExtension
    static final ConsoleTestBed bed = new ConsoleTestBed();

    static QueueVersion queue;
    static Worker live;
    static String requestId;
    static Release release;

    @BeforeAll
    static void fill() throws Exception {
        // a queue with two dead letters (their errors and payloads long words) and three pending jobs
        queue = bed.inspector.ensureQueue(TestRedis.uniqueQueue("phone"));
        QueueClient client = new QueueClient(bed.broker);
        client.enqueue(queue, NewJob.of("{\"source\":\"" + LONG_WORD + "\"}").withId("ph-d1").withMaxAttempts(1));
        client.enqueue(queue, NewJob.of("{\"source\":\"" + LONG_WORD + "\"}").withId("ph-d2").withMaxAttempts(1));
        Worker failing = bed.worker(queue, job -> {
            throw new RejectJobException("the store refused " + LONG_WORD + ": 403");
        });
        ConsoleTestBed.awaitTrue("two dead letters", () -> bed.inspector.counts(queue).dead() == 2);
        failing.close();
        for (int i = 0; i < 3; i++) {
            client.enqueue(queue, NewJob.of("{\"requestId\":\"req-phone\",\"source\":\"" + LONG_WORD + "\",\"n\":" + i + "}").withId("ph-p" + i));
        }
        live = bed.worker(bed.inspector.ensureQueue(TestRedis.uniqueQueue("phone-live")), job -> { });

        requestId = "req-phone-" + ProcessHandle.current().pid();
        String appId = "app-phone-" + ProcessHandle.current().pid();
        List<ChannelSpec> channels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            channels.add(new ChannelSpec("channel-with-a-long-name-" + i, Map.of()));
        }
        assertTrue(bed.requests.create(new PackagingRequest(requestId, "pub-a", appId, LONG_WORD, channels, null, "local", null, null, null, null, null)));
        bed.requests.progress(requestId, 0, Stage.UPLOAD, RequestStore.Outcome.DONE,
                Map.of("url", LONG_WORD, "bytes", 123456789, "sha256", "a".repeat(64)), true);
        bed.requests.progress(requestId, 1, Stage.PACKAGE, RequestStore.Outcome.DEAD, Map.of("error", "signing failed: " + LONG_WORD), true);

        bed.releases.createApp(appId, "pub-a", List.of("production"), "test");
        release = bed.releases.create(new NewRelease(appId, "production", "android", ReleaseKind.BUNDLE, "7.0.0", "*",
                Map.of(Release.ANY_CHANNEL, new Artifact(null, LONG_WORD, 4321, "c".repeat(64), null)), List.of(), false, "notes",
                List.of(new NewRelease.NewLabel("banner-text", LabelType.STRING, TextNode.valueOf(LONG_WORD))), null), "test");
        bed.reports.record(release.id(), InstallEvent.DOWNLOADED, "client-1", null);
        bed.reports.record(release.id(), InstallEvent.FAILED, "client-1", "install failed: " + LONG_WORD);

        bed.browser.driver().manage().window().setSize(new Dimension(WIDTH, HEIGHT));
        bed.browser.await("the page is phone-wide", d -> {
            d.get("about:blank");
            return ((Number) js("return window.innerWidth;")).intValue() <= WIDTH;
        });
    }

    @AfterAll
    static void laptopAgain() {
        bed.browser.driver().manage().window().setSize(new Dimension(1280, 900));
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) bed.browser.driver()).executeScript(script, args);
    }

    /**
     * What on the page fails a phone: the page wider than the window, or a button, field or link
     * (closed details opened first) that sits outside the window's width or under something else
     * once the page is scrolled (vertically only) to it. Empty when the page fits.
     */
    @SuppressWarnings("unchecked")
    private static List<String> phoneProblems() {
        return (List<String>) js("""
                document.querySelectorAll('details').forEach(d => d.open = true);
                const problems = [];
                const width = window.innerWidth;
                const scroller = document.scrollingElement;
                if (scroller.scrollWidth > width) {
                  problems.push('the page is ' + scroller.scrollWidth + ' px wide in a ' + width + ' px window');
                }
                const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' "' + (e.innerText || e.value || e.name || '').trim().slice(0, 40) + '"';
                for (const e of document.querySelectorAll('button, input:not([type=hidden]), select, textarea, a[href]')) {
                  if (e.getClientRects().length === 0) continue; // not shown at all
                  window.scrollTo(0, Math.max(0, e.getBoundingClientRect().top + window.scrollY - window.innerHeight / 2));
                  const r = e.getBoundingClientRect();
                  if (r.width === 0 || r.height === 0) continue;
                  // a control must be wholly in sight; a link (a name in a table) may be cut at the edge if its middle can be tapped
                  const whole = e.tagName !== 'A';
                  if (whole ? r.left < 0 || r.right > width + 0.5 : r.left + r.width / 2 < 0 || r.left + r.width / 2 > width) {
                    problems.push(name(e) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) + ' px of a ' + width + ' px window');
                    continue;
                  }
                  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                  if (hit === null || !(hit === e || e.contains(hit) || hit.contains(e) && hit.tagName === 'LABEL')) {
                    problems.push(name(e) + ' is covered by ' + (hit === null ? 'nothing (outside the window)' : name(hit)));
                  }
                }
                window.scrollTo(0, 0);
                return problems;
                """);
    }

    private static void assertFits(String path) {
        bed.browser.open(path);
        bed.browser.find("main");
        List<String> problems = phoneProblems();
        assertEquals(List.of(), problems, path + " at " + WIDTH + " px");
    }

    @Test
    void everyPageFitsAPhoneAndItsActionsCanBeReached() {
        bed.browser.driver().manage().deleteAllCookies();
        assertFits("/sign-in");
        bed.browser.screenshot("phone-sign-in");
        bed.browser.signIn("ada", ConsoleTestBed.PASSWORD);
        String version = "/queues/" + queue.name() + "/1";
        List<String> pages = List.of("/overview", version, version + "?state=dead", version + "/jobs/ph-d1", version + "/jobs/ph-p0", "/workers",
                "/dead-letters", "/requests", "/requests/" + requestId, "/releases", "/releases/" + release.app() + "/" + release.id(), "/audit");
        // a worker of this test's own (the other test recycles the class's): the workers page must show one with its buttons
        Worker idle = bed.worker(bed.inspector.ensureQueue(TestRedis.uniqueQueue("phone-idle")), job -> { });
        bed.browser.open("/workers");
        bed.browser.await("the worker is listed", d -> {
            d.navigate().refresh();
            return bed.browser.count("tr[data-worker='" + idle.id() + "'] button") == 2;
        });
        for (String page : pages) {
            assertFits(page);
        }
        // a confirmation page (every destructive action's)
        bed.browser.open(version);
        bed.browser.driver().findElement(By.xpath("//button[text()='Obliterate']")).click();
        bed.browser.find("#confirm");
        assertEquals(List.of(), phoneProblems(), "the confirmation at " + WIDTH + " px");
        bed.browser.find("#cancel").click();

        bed.browser.open("/overview");
        bed.browser.await("the overview lists the queue", d -> bed.browser.count("tr[data-queue='" + queue.label() + "']") == 1);
        bed.browser.screenshot("phone-overview");
        bed.browser.open(version + "?state=dead");
        bed.browser.screenshot("phone-queue-version");
        bed.browser.open("/releases/" + release.app() + "/" + release.id());
        bed.browser.screenshot("phone-release");
        bed.browser.open("/requests/" + requestId);
        bed.browser.screenshot("phone-request");
    }

    @Test
    void theMainActionsWorkOnAPhone() throws Exception {
        bed.browser.signIn("otto", ConsoleTestBed.PASSWORD);
        bed.browser.open("/queues/" + queue.name() + "/1?state=dead");
        bed.browser.find("tr[data-job='ph-d2'] input[type=checkbox]").click();
        bed.browser.find("#requeue-selected").click();
        bed.browser.await("the requeue's note", d -> bed.browser.count("#note") == 1);
        assertTrue(bed.browser.text("#note").startsWith("1 of 1 jobs requeued"), bed.browser.text("#note"));
        assertEquals(dev.packline.queue.JobState.PENDING, bed.inspector.job(queue, "ph-d2").orElseThrow().state());

        String row = "tr[data-worker='" + live.id() + "']";
        bed.browser.open("/workers");
        bed.browser.await("the worker is listed", d -> {
            d.navigate().refresh();
            return bed.browser.count(row) == 1;
        });
        assertEquals(List.of(), phoneProblems(), "the workers page at " + WIDTH + " px");
        bed.browser.screenshot("phone-workers");
        bed.browser.find(row).findElement(By.xpath(".//button[text()='Recycle']")).click();
        bed.browser.find("#confirm").click();
        bed.browser.await("the recycle is asked", d -> bed.browser.count("#note") == 1);
        assertEquals(Worker.StopReason.RECYCLE, live.fetchingStopped().get(30, java.util.concurrent.TimeUnit.SECONDS),
                "the worker took the command at its next heartbeat");
    }
}

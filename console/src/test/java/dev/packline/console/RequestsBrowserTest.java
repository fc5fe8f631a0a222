package dev.packline.console;

import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.Keys;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.pipeline.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The requests pages in a real chromium, on requests recorded by the pipeline's own store: the list
 * newest first with its filters (app, publisher, state) and paging, a publisher seeing only its own,
 * an expired request dropped; and cancelling a request from its page, checked in Redis.
 */
class RequestsBrowserTest {
    @RegisterExtension
    static final ConsoleTestBed bed = new ConsoleTestBed();

    private static String unique(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 1_000_000;
    }

    /** A request of {@code channels} channels, created now (a millisecond after the one before, so the order is certain). */
    private static void create(String id, String publisher, String app, int channels) throws InterruptedException {
        List<ChannelSpec> specs = java.util.stream.IntStream.range(0, channels).mapToObj(i -> new ChannelSpec("ch" + i, Map.of())).toList();
        assertTrue(bed.requests.create(new PackagingRequest(id, publisher, app, "https://cdn.example.com/" + app + ".apk", specs,
                null, "local", null, null, null, null, null)));
        Thread.sleep(2);
    }

    private static void finish(String id, int channels) {
        for (int i = 0; i < channels; i++) {
            bed.requests.progress(id, i, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of("url", "https://cdn.example.com/" + id + "/" + i + ".apk"), true);
        }
    }

    /** The request ids the list shows, top to bottom. */
    private static List<String> listed() {
        return bed.browser.driver().findElements(By.cssSelector("#requests tr[data-request]")).stream().map(r -> r.getAttribute("data-request")).toList();
    }

    private static void find(String app, String publisher, String state) {
        bed.browser.open("/requests");
        bed.browser.find("#filter-app").sendKeys(app);
        if (publisher != null) {
            bed.browser.find("#filter-publisher").sendKeys(publisher);
        }
        new Select(bed.browser.find("#filter-state")).selectByVisibleText(state);
        WebElement button = bed.browser.find("#filter");
        button.click();
        bed.browser.await("the filtered list", org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(button));
    }

    @Test
    void requestsAreListedNewestFirstAndFoundByAppPublisherAndState() throws Exception {
        String shared = unique("app-shared");
        String own = unique("app-own");
        String done = unique("req-done");
        String queued = unique("req-queued");
        String bobs = unique("req-bob");
        String expired = unique("req-expired");
        create(done, "pub-a", shared, 2);
        finish(done, 2);
        create(expired, "pub-a", own, 1);
        create(queued, "pub-a", own, 3);
        create(bobs, "pub-b", shared, 1);
        bed.redis.del(Keys.request(expired)); // what the retention does to a finished request

        bed.browser.signIn("alice", ConsoleTestBed.PASSWORD);
        bed.browser.open("/requests");
        List<String> mine = listed().stream().filter(id -> List.of(done, queued, bobs, expired).contains(id)).toList();
        assertEquals(List.of(queued, done), mine, "alice's own requests, newest first; not bob's, not the expired one");
        assertNull(bed.redis.zscore(Keys.requestIndex(), expired + "|pub-a|" + own), "the expired request left the index");
        assertEquals(0, bed.browser.count("#filter-publisher"), "a publisher cannot look for other publishers");
        WebElement row = bed.browser.find("tr[data-request='" + done + "']");
        assertTrue(row.getText().contains("done") && row.getText().contains("2 of 2"), row.getText());
        bed.browser.screenshot("requests");

        find(shared, null, "any");
        assertEquals(List.of(done), listed(), "the shared app's requests alice may see");
        find(own, null, "queued");
        assertEquals(List.of(queued), listed());
        bed.browser.open("/requests?publisher=pub-b&app=" + shared);
        assertEquals(List.of(done), listed(), "a hand-made publisher filter widens nothing");

        bed.browser.signIn("ada", ConsoleTestBed.PASSWORD);
        find(shared, null, "any");
        assertEquals(List.of(bobs, done), listed());
        find(shared, "pub-b", "any");
        assertEquals(List.of(bobs), listed());
        find(shared, null, "done");
        assertEquals(List.of(done), listed());
        bed.browser.find("tr[data-request='" + done + "'] a").click();
        bed.browser.await("the request's page", d -> bed.browser.count("#request-state") == 1);
        assertEquals("done", bed.browser.text("#request-state"));
    }

    @Test
    void theListPagesThroughOlderRequests() throws Exception {
        String app = unique("app-many");
        for (int i = 0; i < 53; i++) {
            create(String.format("%s-%02d", app, i), "pub-a", app, 1);
        }
        bed.browser.signIn("otto", ConsoleTestBed.PASSWORD);
        bed.browser.open("/requests?app=" + app);
        List<String> first = listed();
        assertEquals(50, first.size());
        assertEquals(app + "-52", first.getFirst());
        bed.browser.find("#older").click();
        bed.browser.await("the older page", d -> !listed().equals(first));
        assertEquals(List.of(app + "-02", app + "-01", app + "-00"), listed());
        assertEquals(0, bed.browser.count("#older"), "the last page offers no older one");
        bed.browser.open("/requests?cursor=not-a-cursor");
        assertEquals("Could not do that", bed.browser.text("h1"));
        assertTrue(bed.browser.text("#error").contains("not a cursor"), bed.browser.text("#error"));
    }

    @Test
    void publisherCancelsARequestFromItsPage() throws Exception {
        String requestId = unique("req-x");
        create(requestId, "pub-a", "app-x", 3);
        bed.requests.progress(requestId, 0, Stage.UPLOAD, RequestStore.Outcome.DONE, Map.of("url", "https://cdn.example.com/x/0.apk"), true);
        bed.requests.progress(requestId, 1, Stage.PACKAGE, RequestStore.Outcome.DEAD, Map.of("error", "not an APK: no ZIP end record"), true);

        bed.browser.signIn("bob", ConsoleTestBed.PASSWORD);
        bed.browser.open("/requests/" + requestId);
        assertEquals("Not found", bed.browser.text("h1"), "another publisher cannot open it");
        String csrf = bed.browser.find("input[name=csrf]").getAttribute("value");
        bed.submitForm("/requests/" + requestId + "/cancel", Map.of("csrf", csrf, "confirmed", "yes"));
        bed.browser.await("the refusal of a hand-made cancel", d -> d.getCurrentUrl().endsWith("/cancel") && bed.browser.count("#error") == 1);
        assertEquals("Not found", bed.browser.text("h1"), "nor cancel it with a hand-made form");
        assertEquals("no request '" + requestId + "'", bed.browser.text("#error"));
        assertTrue(!bed.requests.status(requestId).orElseThrow().cancelRequested(), "nothing was cancelled");

        bed.browser.signIn("alice", ConsoleTestBed.PASSWORD);
        bed.browser.open("/requests/" + requestId);
        assertEquals("https://cdn.example.com/x/0.apk", bed.browser.find("#channels a").getAttribute("href"), "the finished channel links to its output");
        assertEquals(1, bed.browser.count("#channels a"), "only the finished channel has an output");
        assertTrue(bed.browser.text("#channels").contains("not an APK: no ZIP end record"), "the failed channel's error: " + bed.browser.text("#channels"));
        assertEquals("package 0 1 0", bed.browser.driver().findElement(By.xpath("//table[@id='stages']//tr[td[text()='package']]")).getText(),
                "per stage: done, dead, cancelled");
        assertEquals("upload 1 0 0", bed.browser.driver().findElement(By.xpath("//table[@id='stages']//tr[td[text()='upload']]")).getText());
        bed.browser.driver().findElement(By.xpath("//button[text()='Cancel this request']")).click();
        assertEquals("Cancel request " + requestId + " of app app-x? Its 1 unfinished channels are not made; what is done stays.",
                bed.browser.text("#confirm-text"));
        bed.browser.find("#confirm").click();
        bed.browser.await("the cancel's note", d -> bed.browser.count("#note") == 1);
        assertTrue(bed.browser.text("#note").startsWith("cancel asked: the request is cancelling"), bed.browser.text("#note"));
        RequestStatus status = bed.requests.status(requestId).orElseThrow();
        assertTrue(status.cancelRequested(), "Redis records the cancel");
        assertTrue(bed.browser.text("#request-state").contains("cancel asked"), bed.browser.text("#request-state"));
    }
}

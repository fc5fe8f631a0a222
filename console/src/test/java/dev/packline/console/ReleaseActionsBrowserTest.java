package dev.packline.console;

import dev.packline.releases.Artifact;
import dev.packline.releases.InstallEvent;
import dev.packline.releases.Label;
import dev.packline.releases.NewRelease;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseKind;
import dev.packline.releases.ReleaseState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A publisher's release actions clicked in a real chromium, each checked in Redis afterwards:
 * brands and percentage, start, pause, resume, roll back; labels added and disabled; and the
 * install-report chart of reports recorded the way the update API records them.
 */
class ReleaseActionsBrowserTest {
    private static final AtomicInteger APPS = new AtomicInteger();

    @RegisterExtension
    static final ConsoleTestBed bed = new ConsoleTestBed();

    /** A new app of pub-a with one draft bundle release. */
    private static Release draft() {
        String appId = "app-r" + APPS.incrementAndGet() + "-" + ProcessHandle.current().pid();
        bed.releases.createApp(appId, "pub-a", List.of("production"), "test");
        return bed.releases.create(new NewRelease(appId, "production", "android", ReleaseKind.BUNDLE, "5.0.0", "*",
                Map.of(Release.ANY_CHANNEL, new Artifact(null, "https://cdn.example.com/b-5.0.0.zip", 4321, "c".repeat(64), null)), List.of(),
                false, "spring fixes", List.of(), null), "test");
    }

    private static Release stored(Release r) {
        return bed.releases.release(r.app(), r.id()).orElseThrow();
    }

    private static void click(String buttonText) {
        bed.browser.driver().findElement(By.xpath("//button[text()='" + buttonText + "']")).click();
    }

    private static void awaitState(String state) {
        bed.browser.await("the release is " + state, d -> bed.browser.text("#release-state").equals(state));
    }

    @Test
    void publisherNarrowsARolloutPausesResumesAndRollsBack() {
        Release r = draft();
        bed.browser.signIn("alice", ConsoleTestBed.PASSWORD);
        bed.browser.open("/releases/" + r.app() + "/" + r.id());
        bed.browser.find("#brands").sendKeys("oppo\nvivo");
        bed.browser.find("#save-brands").click();
        bed.browser.await("brands saved", d -> bed.browser.text("#gray").endsWith("of brands oppo, vivo"));
        assertEquals(List.of("oppo", "vivo"), stored(r).rollout().brands());
        bed.browser.find("#percentage").clear();
        bed.browser.find("#percentage").sendKeys("12.5");
        bed.browser.find("#save-percentage").click();
        bed.browser.await("percentage saved", d -> bed.browser.text("#gray").startsWith("12.5%"));
        assertEquals(1250, stored(r).rollout().basisPoints());

        click("Start the gray rollout");
        assertTrue(bed.browser.text("#confirm-text").contains("0 whitelisted clients and 12.5% of the clients of brands oppo, vivo"),
                bed.browser.text("#confirm-text"));
        bed.browser.find("#confirm").click();
        awaitState("rolling_out");
        click("Pause");
        awaitState("paused");
        assertEquals(ReleaseState.PAUSED, stored(r).state());
        click("Resume");
        awaitState("rolling_out");
        assertEquals(ReleaseState.ROLLING_OUT, stored(r).state());

        bed.browser.find("#percentage").clear();
        bed.browser.find("#percentage").sendKeys("40");
        bed.browser.find("#save-percentage").click();
        bed.browser.await("the percentage widens while rolling out", d -> bed.browser.text("#gray").startsWith("40%"));
        assertEquals(4000, stored(r).rollout().basisPoints());
        bed.browser.find("#percentage").clear();
        bed.browser.find("#percentage").sendKeys("140");
        bed.browser.find("#save-percentage").click();
        bed.browser.await("a percentage over 100 is refused", d -> bed.browser.count("#error") == 1);
        assertTrue(bed.browser.text("#problems").contains("percentage"), bed.browser.text("main"));
        assertEquals(4000, stored(r).rollout().basisPoints(), "nothing changed");

        bed.browser.open("/releases/" + r.app() + "/" + r.id());
        click("Roll back");
        assertTrue(bed.browser.text("#confirm-text").startsWith("Roll back " + r.app() + " 5.0.0 (release #" + r.id() + ", production) for good?"),
                bed.browser.text("#confirm-text"));
        bed.browser.find("#confirm").click();
        awaitState("rolled_back");
        assertEquals(ReleaseState.ROLLED_BACK, stored(r).state());
        assertEquals(0, bed.browser.count("#percentage"), "a rolled-back release has no rollout editors");
        assertTrue(bed.browser.driver().findElements(By.xpath("//button[text()='Go full']")).isEmpty(), "nor publish buttons");
        String trail = bed.browser.text("#release-audit");
        for (String action : List.of("pause", "resume", "rollback")) {
            assertTrue(trail.contains(action), action + " in " + trail);
        }
        assertTrue(trail.contains("console:alice"), trail);
    }

    @Test
    void publisherAddsAndDisablesLabels() {
        Release r = draft();
        bed.browser.signIn("alice", ConsoleTestBed.PASSWORD);
        bed.browser.open("/releases/" + r.app() + "/" + r.id());
        addLabel("min-free-mb", "number", "512");
        addLabel("banner", "string", "Spring sale");
        List<Label> labels = stored(r).labels();
        assertEquals(2, labels.size(), labels.toString());
        Label minFree = labels.stream().filter(l -> l.key().equals("min-free-mb")).findFirst().orElseThrow();
        assertEquals(512, minFree.value().asInt());
        assertTrue(minFree.enabled());
        assertTrue(bed.browser.text("#labels").contains("Spring sale"), bed.browser.text("#labels"));

        addLabel("broken", "number", "lots");
        bed.browser.await("a number label that is no JSON is refused", d -> bed.browser.count("#error") == 1);
        assertTrue(bed.browser.text("#problems").contains("value"), bed.browser.text("main"));
        assertEquals(2, stored(r).labels().size(), "nothing was added");

        bed.browser.open("/releases/" + r.app() + "/" + r.id());
        bed.browser.driver().findElement(By.xpath("//table[@id='labels']//tr[td[text()='banner']]//button[text()='Disable']")).click();
        bed.browser.await("the confirmation", d -> bed.browser.count("#confirm-text") == 1);
        assertTrue(bed.browser.text("#confirm-text").startsWith("Disable label 'banner' of "), bed.browser.text("#confirm-text"));
        assertTrue(stored(r).labels().stream().filter(l -> l.key().equals("banner")).findFirst().orElseThrow().enabled(),
                "nothing changes before the confirmation");
        bed.browser.find("#confirm").click();
        bed.browser.await("the label is disabled", d -> bed.browser.count("#note") == 1);
        Label banner = stored(r).labels().stream().filter(l -> l.key().equals("banner")).findFirst().orElseThrow();
        assertFalse(banner.enabled());
        assertTrue(bed.browser.driver().findElement(By.xpath("//table[@id='labels']//tr[td[text()='banner']]")).getText().contains("no"),
                bed.browser.text("#labels"));
        assertTrue(stored(r).labels().stream().filter(l -> l.key().equals("min-free-mb")).findFirst().orElseThrow().enabled());
    }

    private static void addLabel(String key, String type, String value) {
        WebElement form = bed.browser.find("form[action$='/actions/add-label']");
        form.findElement(By.name("key")).sendKeys(key);
        new Select(form.findElement(By.name("type"))).selectByVisibleText(type);
        form.findElement(By.name("value")).sendKeys(value);
        form.findElement(By.tagName("button")).click();
        // the page before may carry a note already: wait for the next page
        bed.browser.await("the answer to adding label " + key, org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(form));
    }

    @Test
    void installReportsShowAsAChart() {
        Release r = draft();
        for (int client = 0; client < 4; client++) {
            bed.reports.record(r.id(), InstallEvent.DOWNLOADED, "client-" + client, null);
        }
        bed.reports.record(r.id(), InstallEvent.INSTALLED, "client-0", null);
        bed.reports.record(r.id(), InstallEvent.INSTALLED, "client-1", null);
        bed.reports.record(r.id(), InstallEvent.FAILED, "client-2", "not enough space");
        bed.reports.record(r.id(), InstallEvent.FAILED, "client-3", "not enough space");
        bed.reports.record(r.id(), InstallEvent.FAILED, "client-3", "signature mismatch");

        bed.browser.signIn("otto", ConsoleTestBed.PASSWORD);
        bed.browser.open("/releases/" + r.app() + "/" + r.id());
        assertEquals(List.of("4", "4", "4"), bar("downloaded"), "reports, clients, bar value");
        assertEquals(List.of("2", "2", "2"), bar("installed"));
        assertEquals(List.of("3", "2", "3"), bar("failed"));
        assertEquals("4", bed.browser.find("#reports meter").getAttribute("max"), "the bars are scaled to the largest count");
        String reasons = bed.browser.text("#failure-reasons");
        assertTrue(reasons.contains("not enough space 2") && reasons.contains("signature mismatch 1"), reasons);
        assertEquals(0, bed.browser.count("#save-percentage"), "oncall sees releases but may not change them");
        bed.browser.screenshot("release-reports");
    }

    /** The reports, clients and bar value of one event's row of the chart. */
    private static List<String> bar(String event) {
        WebElement row = bed.browser.driver().findElement(By.xpath("//table[@id='reports']//tr[td[text()='" + event + "']]"));
        List<WebElement> cells = row.findElements(By.tagName("td"));
        return List.of(cells.get(1).getText(), cells.get(2).getText(), cells.get(3).findElement(By.tagName("meter")).getAttribute("value"));
    }
}

package dev.packline.console;

import dev.packline.queue.JobState;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.retry.Backoff;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.queue.worker.Worker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The actions of a queue version page, clicked in a real chromium as an admin, each checked in
 * Redis afterwards: cancel, delete, run now (from the list and from a job's page), pause and resume,
 * and the dead-letter bulk actions by error text, on the queue page and on the dead letters page.
 */
class QueueActionsBrowserTest {
    /** A retry an hour away: the job stays in retry until someone runs it now. */
    static final Backoff AN_HOUR = new Backoff(Duration.ofHours(1), 2.0, Duration.ofHours(1), 0.0);

    static ConsoleTestBed bed;
    static Browser browser;

    @BeforeAll
    static void start() {
        bed = new ConsoleTestBed();
        browser = bed.browser;
    }

    @AfterAll
    static void stop() {
        if (bed != null) {
            bed.close();
        }
    }

    private static void tick(String jobId) {
        browser.find("tr[data-job='" + jobId + "'] input[type=checkbox]").click();
    }

    private static JobState state(QueueVersion queue, String jobId) {
        return bed.inspector.job(queue, jobId).orElseThrow(() -> new AssertionError("no job " + jobId)).state();
    }

    private static void confirm(String expected) {
        assertTrue(browser.text("#confirm-text").contains(expected), browser.text("#confirm-text"));
        browser.find("#confirm").click();
        browser.await("the action's note", d -> browser.count("#note") == 1);
    }

    @Test
    void adminCancelsDeletesAndRunsJobsNow() {
        QueueVersion queue = bed.inspector.ensureQueue(TestRedis.uniqueQueue("acts"));
        QueueClient client = new QueueClient(bed.broker);
        client.enqueue(queue, NewJob.of("{\"n\":1}").withId("p-1"));
        client.enqueue(queue, NewJob.of("{\"n\":2}").withId("p-2"));
        client.enqueue(queue, NewJob.of("{\"n\":3}").withId("d-1").withDelay(Duration.ofHours(1)));
        browser.signIn("ada", ConsoleTestBed.PASSWORD);
        String page = "/queues/" + queue.name() + "/1";

        browser.open(page);
        tick("p-1");
        browser.find("#cancel-selected").click();
        confirm("Cancel 1 jobs of " + queue.label() + " (p-1)? Pending ones never run");
        assertEquals("1 of 1 jobs cancelled in " + queue.label(), browser.text("#note"));
        assertEquals(JobState.CANCELLED, state(queue, "p-1"));

        tick("p-2");
        browser.find("#delete-selected").click();
        confirm("Delete 1 jobs of " + queue.label() + " for good (p-2)? Their payloads cannot be brought back.");
        assertEquals("1 of 1 jobs deleted in " + queue.label(), browser.text("#note"));
        assertTrue(bed.inspector.job(queue, "p-2").isEmpty(), "the deleted job is gone from Redis");
        assertEquals("0", browser.text("#count-pending"));

        browser.open(page + "?state=delayed");
        assertEquals(0, browser.count("#requeue-selected"), "only dead letters are requeued");
        tick("d-1");
        browser.find("#run-now-selected").click();
        browser.await("the run-now note", d -> browser.count("#note") == 1);
        assertEquals("1 of 1 jobs made pending now in " + queue.label(), browser.text("#note"));
        assertEquals(JobState.PENDING, state(queue, "d-1"));
        assertEquals("1", browser.text("#count-pending"));
    }

    @Test
    void aRetryingJobIsRunNowFromItsPage() throws Exception {
        QueueVersion queue = bed.inspector.ensureQueue(TestRedis.uniqueQueue("retry"));
        new QueueClient(bed.broker).enqueue(queue, NewJob.of("{\"n\":1}").withId("r-1").withMaxAttempts(3));
        Worker failing = bed.worker(queue, job -> {
            throw new IllegalStateException("the store timed out");
        }, AN_HOUR);
        ConsoleTestBed.awaitTrue("r-1 waits for its retry", () -> bed.inspector.job(queue, "r-1").map(j -> j.state() == JobState.RETRY).orElse(false));
        failing.close();

        browser.signIn("otto", ConsoleTestBed.PASSWORD);
        browser.open("/queues/" + queue.name() + "/1/jobs/r-1");
        assertEquals("retry", browser.text("#job-state"));
        assertTrue(browser.text("main").contains("the store timed out"), browser.text("main"));
        assertTrue(browser.driver().findElements(By.xpath("//button[text()='Cancel']")).isEmpty(), "oncall may not cancel");
        browser.driver().findElement(By.xpath("//button[text()='Run now']")).click();
        browser.await("the run-now note", d -> browser.count("#note") == 1);
        assertEquals(JobState.PENDING, state(queue, "r-1"));
    }

    @Test
    void pauseAndResumeAVersion() {
        QueueVersion queue = bed.inspector.ensureQueue(TestRedis.uniqueQueue("pause"));
        browser.signIn("otto", ConsoleTestBed.PASSWORD);
        browser.open("/queues/" + queue.name() + "/1");
        browser.driver().findElement(By.xpath("//button[text()='Pause']")).click();
        browser.await("paused", d -> browser.count("#note") == 1);
        assertEquals(queue.label() + " is paused: its workers take no new job until it is resumed", browser.text("#note"));
        assertTrue(browser.text("#version-state").contains("paused"), browser.text("#version-state"));
        assertTrue(bed.inspector.counts(queue).paused());
        browser.open("/overview");
        browser.await("the overview's alarm names the paused version", d -> browser.text("#alarms").contains(queue.label()));

        browser.open("/queues/" + queue.name() + "/1");
        browser.driver().findElement(By.xpath("//button[text()='Resume']")).click();
        browser.await("resumed", d -> browser.count("#note") == 1);
        assertEquals(queue.label() + " is resumed", browser.text("#note"));
        assertFalse(browser.text("#version-state").contains("paused"), browser.text("#version-state"));
        assertFalse(bed.inspector.counts(queue).paused());
    }

    @Test
    void deadLettersAreRequeuedAndDeletedByErrorText() throws Exception {
        QueueVersion queue = bed.inspector.ensureQueue(TestRedis.uniqueQueue("bulk"));
        QueueClient client = new QueueClient(bed.broker);
        for (String id : List.of("u-1", "u-2", "b-1")) {
            client.enqueue(queue, NewJob.of("{\"id\":\"" + id + "\"}").withId(id).withMaxAttempts(1));
        }
        Worker failing = bed.worker(queue, job -> {
            throw new RejectJobException(job.id().startsWith("u") ? "upstream store answered 503" : "not an APK: no ZIP end record");
        });
        ConsoleTestBed.awaitTrue("three dead letters", () -> bed.inspector.counts(queue).dead() == 3);
        failing.close();

        browser.signIn("ada", ConsoleTestBed.PASSWORD);
        browser.open("/queues/" + queue.name() + "/1?state=dead");
        browser.find("#match").sendKeys("503");
        browser.find("#requeue-matching").click();
        confirm("Requeue 2 dead letters of " + queue.label() + " whose error contains '503'?");
        assertEquals("2 of 2 matching dead letters requeued in " + queue.label(), browser.text("#note"));
        assertEquals(JobState.PENDING, state(queue, "u-1"));
        assertEquals(JobState.PENDING, state(queue, "u-2"));
        assertEquals(JobState.DEAD, state(queue, "b-1"));

        browser.open("/dead-letters");
        String group = "//tr[td/a[text()='" + queue.label() + "']]";
        assertEquals(1, browser.driver().findElements(By.xpath(group)).size(), browser.text("#dead-groups"));
        assertTrue(browser.driver().findElement(By.xpath(group)).getText().contains("not an APK: no ZIP end record"), browser.text("#dead-groups"));
        browser.driver().findElement(By.xpath(group + "//button[text()='Delete all 1']")).click();
        assertTrue(browser.text("#confirm-text").startsWith("Delete for good 1 dead letters of " + queue.label()), browser.text("#confirm-text"));
        confirm("not an APK: no ZIP end record");
        assertTrue(bed.inspector.job(queue, "b-1").isEmpty(), "the deleted dead letter is gone from Redis");
        assertEquals(0, bed.inspector.counts(queue).dead());
        assertEquals(0, browser.driver().findElements(By.xpath(group)).size(), browser.text("main"));
    }
}

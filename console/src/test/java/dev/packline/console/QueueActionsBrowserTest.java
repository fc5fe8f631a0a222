package dev.packline.console;

import dev.packline.queue.JobState;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestRedis;
import dev.packline.queue.retry.Backoff;
import dev.packline.queue.worker.RejectJobException;
import dev.packline.queue.worker.Worker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A queue version's pages in a real chromium, each action checked in Redis afterwards: jobs paged
 * 50 at a time; cancel, delete, run now (from the list and from a job's page), pause and resume,
 * the dead-letter bulk actions by error text, on the queue page and on the dead letters page; and
 * asking a worker to recycle, which the real worker takes at its next heartbeat; and pages left
 * behind closing their live streams, so a dozen pages in a row never wait for a connection.
 */
class QueueActionsBrowserTest {
    /** A retry an hour away: the job stays in retry until someone runs it now. */
    static final Backoff AN_HOUR = new Backoff(Duration.ofHours(1), 2.0, Duration.ofHours(1), 0.0);

    @RegisterExtension
    static final ConsoleTestBed bed = new ConsoleTestBed();

    private static void tick(String jobId) {
        bed.browser.find("tr[data-job='" + jobId + "'] input[type=checkbox]").click();
    }

    private static JobState state(QueueVersion queue, String jobId) {
        return bed.inspector.job(queue, jobId).orElseThrow(() -> new AssertionError("no job " + jobId)).state();
    }

    private static void confirm(String expected) {
        assertTrue(bed.browser.text("#confirm-text").contains(expected), bed.browser.text("#confirm-text"));
        bed.browser.find("#confirm").click();
        bed.browser.await("the action's note", d -> bed.browser.count("#note") == 1);
    }

    @Test
    void adminCancelsDeletesAndRunsJobsNow() {
        QueueVersion queue = bed.inspector.ensureQueue(TestRedis.uniqueQueue("acts"));
        QueueClient client = new QueueClient(bed.broker);
        client.enqueue(queue, NewJob.of("{\"n\":1}").withId("p-1"));
        client.enqueue(queue, NewJob.of("{\"n\":2}").withId("p-2"));
        client.enqueue(queue, NewJob.of("{\"n\":3}").withId("d-1").withDelay(Duration.ofHours(1)));
        bed.browser.signIn("ada", ConsoleTestBed.PASSWORD);
        String page = "/queues/" + queue.name() + "/1";

        bed.browser.open(page);
        tick("p-1");
        bed.browser.find("#cancel-selected").click();
        confirm("Cancel 1 jobs of " + queue.label() + " (p-1)? Pending ones never run");
        assertEquals("1 of 1 jobs cancelled in " + queue.label(), bed.browser.text("#note"));
        assertEquals(JobState.CANCELLED, state(queue, "p-1"));

        tick("p-2");
        bed.browser.find("#delete-selected").click();
        confirm("Delete 1 jobs of " + queue.label() + " for good (p-2)? Their payloads cannot be brought back.");
        assertEquals("1 of 1 jobs deleted in " + queue.label(), bed.browser.text("#note"));
        assertTrue(bed.inspector.job(queue, "p-2").isEmpty(), "the deleted job is gone from Redis");
        assertEquals("0", bed.browser.text("#count-pending"));

        bed.browser.open(page + "?state=delayed");
        assertEquals(0, bed.browser.count("#requeue-selected"), "only dead letters are requeued");
        tick("d-1");
        bed.browser.find("#run-now-selected").click();
        bed.browser.await("the run-now note", d -> bed.browser.count("#note") == 1);
        assertEquals("1 of 1 jobs made pending now in " + queue.label(), bed.browser.text("#note"));
        assertEquals(JobState.PENDING, state(queue, "d-1"));
        assertEquals("1", bed.browser.text("#count-pending"));
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

        bed.browser.signIn("otto", ConsoleTestBed.PASSWORD);
        bed.browser.open("/queues/" + queue.name() + "/1/jobs/r-1");
        assertEquals("retry", bed.browser.text("#job-state"));
        assertTrue(bed.browser.text("main").contains("the store timed out"), bed.browser.text("main"));
        assertTrue(bed.browser.driver().findElements(By.xpath("//button[text()='Cancel']")).isEmpty(), "oncall may not cancel");
        bed.browser.driver().findElement(By.xpath("//button[text()='Run now']")).click();
        bed.browser.await("the run-now note", d -> bed.browser.count("#note") == 1);
        assertEquals(JobState.PENDING, state(queue, "r-1"));
    }

    @Test
    void pauseAndResumeAVersion() {
        QueueVersion queue = bed.inspector.ensureQueue(TestRedis.uniqueQueue("pause"));
        bed.browser.signIn("otto", ConsoleTestBed.PASSWORD);
        bed.browser.open("/queues/" + queue.name() + "/1");
        bed.browser.driver().findElement(By.xpath("//button[text()='Pause']")).click();
        bed.browser.await("paused", d -> bed.browser.count("#note") == 1);
        assertEquals(queue.label() + " is paused: its workers take no new job until it is resumed", bed.browser.text("#note"));
        assertTrue(bed.browser.text("#version-state").contains("paused"), bed.browser.text("#version-state"));
        assertTrue(bed.inspector.counts(queue).paused());
        bed.browser.open("/overview");
        bed.browser.await("the overview's alarm names the paused version", d -> bed.browser.text("#alarms").contains(queue.label()));

        bed.browser.open("/queues/" + queue.name() + "/1");
        bed.browser.driver().findElement(By.xpath("//button[text()='Resume']")).click();
        bed.browser.await("resumed", d -> bed.browser.count("#note") == 1);
        assertEquals(queue.label() + " is resumed", bed.browser.text("#note"));
        assertFalse(bed.browser.text("#version-state").contains("paused"), bed.browser.text("#version-state"));
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

        bed.browser.signIn("ada", ConsoleTestBed.PASSWORD);
        bed.browser.open("/queues/" + queue.name() + "/1?state=dead");
        bed.browser.find("#match").sendKeys("503");
        bed.browser.find("#requeue-matching").click();
        confirm("Requeue 2 dead letters of " + queue.label() + " whose error contains '503'?");
        assertEquals("2 of 2 matching dead letters requeued in " + queue.label(), bed.browser.text("#note"));
        assertEquals(JobState.PENDING, state(queue, "u-1"));
        assertEquals(JobState.PENDING, state(queue, "u-2"));
        assertEquals(JobState.DEAD, state(queue, "b-1"));

        bed.browser.open("/dead-letters");
        String group = "//tr[td/a[text()='" + queue.label() + "']]";
        assertEquals(1, bed.browser.driver().findElements(By.xpath(group)).size(), bed.browser.text("#dead-groups"));
        assertTrue(bed.browser.driver().findElement(By.xpath(group)).getText().contains("not an APK: no ZIP end record"), bed.browser.text("#dead-groups"));
        bed.browser.driver().findElement(By.xpath(group + "//button[text()='Delete all 1']")).click();
        assertTrue(bed.browser.text("#confirm-text").startsWith("Delete for good 1 dead letters of " + queue.label()), bed.browser.text("#confirm-text"));
        confirm("not an APK: no ZIP end record");
        assertTrue(bed.inspector.job(queue, "b-1").isEmpty(), "the deleted dead letter is gone from Redis");
        assertEquals(0, bed.inspector.counts(queue).dead());
        assertEquals(0, bed.browser.driver().findElements(By.xpath(group)).size(), bed.browser.text("main"));
    }

    @Test
    void oncallAsksAWorkerToRecycle() throws Exception {
        QueueVersion queue = bed.inspector.ensureQueue(TestRedis.uniqueQueue("recycle"));
        Worker worker = bed.worker(Worker.Params.of(bed.broker, List.of(new dev.packline.queue.worker.Subscription(queue, job -> { }, 4, ConsoleTestBed.QUICK)))
                .withMaxJobs(1000));
        bed.browser.signIn("otto", ConsoleTestBed.PASSWORD);
        String row = "tr[data-worker='" + worker.id() + "']";
        bed.browser.open("/workers");
        bed.browser.await("the worker is listed", d -> {
            d.navigate().refresh();
            return bed.browser.count(row) == 1;
        });
        List<String> cells = bed.browser.find(row).findElements(By.tagName("td")).stream().map(org.openqa.selenium.WebElement::getText).toList();
        // actions, worker, host, pid, versions served, jobs done, running, left before recycle, last heartbeat, uptime
        assertEquals(worker.id(), cells.get(1));
        assertFalse(cells.get(2).isBlank(), "the host: " + cells);
        assertEquals(Long.toString(ProcessHandle.current().pid()), cells.get(3));
        assertTrue(cells.get(4).contains(queue.label()), "the versions served: " + cells);
        assertTrue(cells.get(5).matches("\\d+") && cells.get(6).matches("\\d+"), "jobs done and running: " + cells);
        assertEquals("1000", cells.get(7), "a worker that recycles after 1000 jobs, none taken yet: " + cells);
        assertTrue(cells.get(8).endsWith(" ago"), "the last heartbeat: " + cells);
        bed.browser.find(row).findElement(By.xpath(".//button[text()='Recycle']")).click();
        assertEquals("Recycle worker " + worker.id() + "? It finishes the jobs it holds and exits; its supervisor starts a fresh one.",
                bed.browser.text("#confirm-text"));
        bed.browser.find("#confirm").click();
        bed.browser.await("the recycle is asked", d -> bed.browser.count("#note") == 1);
        assertEquals(Worker.StopReason.RECYCLE, worker.fetchingStopped().get(30, java.util.concurrent.TimeUnit.SECONDS),
                "the worker took the command at its next heartbeat");
    }

    @Test
    void pagesLeftBehindCloseTheirLiveStreams() {
        // a browser opens at most six connections to one server: pages kept in its back/forward cache with their
        // live streams open would make the seventh page wait (a minute here) for one of them to end
        List<QueueVersion> queues = java.util.stream.IntStream.range(0, 4).mapToObj(i -> bed.inspector.ensureQueue(TestRedis.uniqueQueue("walk")))
                .toList();
        bed.browser.signIn("otto", ConsoleTestBed.PASSWORD);
        for (int round = 0; round < 3; round++) {
            for (QueueVersion queue : queues) {
                bed.browser.open("/queues/" + queue.name() + "/1"); // fails at the browser's page-load timeout when no connection is free
                assertTrue(bed.browser.text("#version-state").startsWith("active"), queue.label());
            }
        }
        bed.browser.driver().navigate().back();
        bed.browser.await("a page brought back from the cache is live again", d -> bed.browser.text("h1").equals("Queue " + queues.get(2).label())
                && bed.browser.count("#counts") == 1);
    }

    @Test
    void jobsArePagedFiftyAtATime() {
        QueueVersion queue = bed.inspector.ensureQueue(TestRedis.uniqueQueue("paged"));
        List<NewJob> jobs = java.util.stream.IntStream.range(0, 53).mapToObj(i -> NewJob.of("{\"n\":" + i + "}").withId(String.format("j-%02d", i)))
                .toList();
        new QueueClient(bed.broker).enqueueBatch(queue, jobs);
        bed.browser.signIn("otto", ConsoleTestBed.PASSWORD);
        bed.browser.open("/queues/" + queue.name() + "/1?state=pending");
        List<String> first = shownJobs();
        assertEquals(50, first.size());
        bed.browser.find("#next-page").click();
        bed.browser.await("the next page", d -> !shownJobs().equals(first));
        List<String> second = shownJobs();
        assertEquals(3, second.size());
        assertEquals(0, bed.browser.count("#next-page"), "the last page offers no more");
        java.util.Set<String> all = new java.util.TreeSet<>(first);
        all.addAll(second);
        assertEquals(jobs.stream().map(NewJob::id).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)), all,
                "every pending job once over the two pages");
    }

    @Test
    void jobsAreFoundByJobIdAndByRequestId() {
        QueueVersion queue = bed.inspector.ensureQueue(TestRedis.uniqueQueue("search"));
        QueueClient client = new QueueClient(bed.broker);
        client.enqueue(queue, NewJob.of("{\"requestId\":\"req-a\",\"channel\":0}").withId("s-a0"));
        client.enqueue(queue, NewJob.of("{\"requestId\":\"req-a\",\"channel\":1}").withId("s-a1"));
        client.enqueue(queue, NewJob.of("{\"requestId\":\"req-b\",\"channel\":0}").withId("s-b0"));
        client.enqueue(queue, NewJob.of("{\"requestId\":\"req-c\"}").withId("s-c0").withDelay(Duration.ofHours(1)));
        bed.browser.signIn("otto", ConsoleTestBed.PASSWORD);
        bed.browser.open("/queues/" + queue.name() + "/1?state=pending");
        assertEquals(List.of("s-a0", "s-a1", "s-b0"), sorted(shownJobs()));

        search("s-a1");
        assertEquals(List.of("s-a1"), shownJobs(), "the job of that id");
        search("req-a");
        assertEquals(List.of("s-a0", "s-a1"), sorted(shownJobs()), "the jobs whose payload names that request");
        search("s-c0");
        assertEquals(List.of("s-c0"), shownJobs(), "a job id is found whatever state the list shows");
        search("req-nobody");
        assertEquals(List.of(), shownJobs());
        assertTrue(bed.browser.text("#jobs").contains("No pending jobs match."), bed.browser.text("#jobs"));
    }

    private static void search(String text) {
        org.openqa.selenium.WebElement field = bed.browser.find("#search");
        field.clear();
        field.sendKeys(text);
        field.submit();
        bed.browser.await("the search for " + text, org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(field));
    }

    private static List<String> sorted(List<String> ids) {
        return ids.stream().sorted().toList();
    }

    @Test
    void adminCancelsARunningJobThatItsWorkerThenStops() throws Exception {
        QueueVersion queue = bed.inspector.ensureQueue(TestRedis.uniqueQueue("running"));
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        bed.worker(queue, job -> {
            started.countDown();
            Thread.sleep(120_000); // until the worker stops it
        });
        new QueueClient(bed.broker).enqueue(queue, NewJob.of("{\"n\":1}").withId("run-1"));
        assertTrue(started.await(30, java.util.concurrent.TimeUnit.SECONDS), "the job is running");
        bed.browser.signIn("ada", ConsoleTestBed.PASSWORD);
        bed.browser.open("/queues/" + queue.name() + "/1?state=active");
        assertEquals(0, bed.browser.count("#delete-selected"), "a running job cannot be deleted");
        tick("run-1");
        bed.browser.find("#cancel-selected").click();
        confirm("running ones are stopped by their worker");
        assertEquals("1 of 1 jobs cancelled in " + queue.label(), bed.browser.text("#note"));
        ConsoleTestBed.awaitTrue("the worker stops the job and it ends cancelled", () -> state(queue, "run-1") == JobState.CANCELLED);
        assertEquals(0, bed.inspector.counts(queue).active());
    }

    @Test
    void aJobPageShowsItsPayloadAttemptsAndErrorHistory() throws Exception {
        QueueVersion queue = bed.inspector.ensureQueue(TestRedis.uniqueQueue("history"));
        new QueueClient(bed.broker).enqueue(queue, NewJob.of("{\"requestId\":\"req-h\",\"channel\":\"oppo\"}").withId("h-1").withMaxAttempts(3));
        Worker failing = bed.worker(queue, job -> {
            throw new IllegalStateException("attempt " + job.attempt() + " failed: the store timed out");
        });
        ConsoleTestBed.awaitTrue("h-1 is dead after 3 attempts", () -> bed.inspector.job(queue, "h-1").map(j -> j.state() == JobState.DEAD).orElse(false));
        failing.close();

        bed.browser.signIn("otto", ConsoleTestBed.PASSWORD);
        bed.browser.open("/queues/" + queue.name() + "/1/jobs/h-1");
        assertEquals("dead", bed.browser.text("#job-state"));
        assertEquals("3", bed.browser.find("#job").findElement(By.xpath(".//tr[th[text()='Attempts']]/td")).getText());
        List<org.openqa.selenium.WebElement> rows = bed.browser.driver().findElements(By.cssSelector("#errors tbody tr"));
        assertEquals(3, rows.size(), bed.browser.text("main"));
        for (int attempt = 1; attempt <= 3; attempt++) {
            String row = rows.get(attempt - 1).getText();
            assertTrue(row.startsWith(attempt + " ") && row.contains("attempt " + attempt + " failed: the store timed out"), row);
        }
        String payload = bed.browser.text("#payload");
        assertTrue(payload.contains("\"requestId\" : \"req-h\"") && payload.contains("\"channel\" : \"oppo\""), payload);
    }

    @Test
    void deadLettersAreRequeuedOneFromItsPageSeveralTickedAndAGroupFromTheDeadLettersPage() throws Exception {
        QueueVersion queue = bed.inspector.ensureQueue(TestRedis.uniqueQueue("requeue"));
        QueueClient client = new QueueClient(bed.broker);
        List<String> ids = List.of("one", "tick-1", "tick-2", "left", "grp-1", "grp-2");
        for (String id : ids) {
            client.enqueue(queue, NewJob.of("{\"id\":\"" + id + "\"}").withId(id).withMaxAttempts(1));
        }
        Worker failing = bed.worker(queue, job -> {
            throw new RejectJobException(job.id().startsWith("grp") ? "the signing key is missing" : "upstream store answered 503");
        });
        ConsoleTestBed.awaitTrue("six dead letters", () -> bed.inspector.counts(queue).dead() == ids.size());
        failing.close();
        bed.browser.signIn("otto", ConsoleTestBed.PASSWORD);

        bed.browser.open("/queues/" + queue.name() + "/1/jobs/one");
        bed.browser.driver().findElement(By.xpath("//button[text()='Requeue']")).click();
        bed.browser.await("the requeue's note", d -> bed.browser.count("#note") == 1);
        assertEquals(JobState.PENDING, state(queue, "one"));

        bed.browser.open("/queues/" + queue.name() + "/1?state=dead");
        tick("tick-1");
        tick("tick-2");
        bed.browser.find("#requeue-selected").click();
        bed.browser.await("the requeue's note", d -> bed.browser.count("#note") == 1);
        assertEquals("2 of 2 jobs requeued in " + queue.label(), bed.browser.text("#note"));
        assertEquals(JobState.PENDING, state(queue, "tick-1"));
        assertEquals(JobState.PENDING, state(queue, "tick-2"));
        assertEquals(JobState.DEAD, state(queue, "left"), "an unticked dead letter stays");

        bed.browser.open("/dead-letters");
        String group = "//tr[td/a[text()='" + queue.label() + "'] and td[contains(text(), 'the signing key is missing')]]";
        bed.browser.driver().findElement(By.xpath(group + "//button[text()='Requeue all 2']")).click();
        confirm("Requeue 2 dead letters of " + queue.label() + " that failed with: ");
        assertEquals("2 dead letters of " + queue.label() + " requeued", bed.browser.text("#note"));
        assertEquals(JobState.PENDING, state(queue, "grp-1"));
        assertEquals(JobState.PENDING, state(queue, "grp-2"));
        assertEquals(JobState.DEAD, state(queue, "left"), "the other group stays");
        assertEquals(0, bed.browser.driver().findElements(By.xpath(group)).size(), bed.browser.text("main"));
    }

    private static List<String> shownJobs() {
        return bed.browser.driver().findElements(By.cssSelector("#jobs tr[data-job]")).stream().map(r -> r.getAttribute("data-job")).toList();
    }
}

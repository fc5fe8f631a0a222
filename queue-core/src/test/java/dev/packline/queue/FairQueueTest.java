package dev.packline.queue;

import dev.packline.queue.QueueBroker.Ack;
import dev.packline.queue.QueueBroker.Failure;
import dev.packline.queue.QueueBroker.Recovery;
import dev.packline.queue.redis.Keys;
import dev.packline.queue.redis.RedisQueueBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Priorities, fair shares between groups, weights and caps: the broker on a real Redis, time moved by hand. */
class FairQueueTest {
    private static final Duration LEASE = Duration.ofSeconds(10);
    private final TestClock clock = new TestClock();
    private RedisQueueBroker broker;
    private QueueClient client;
    private QueueInspector inspector;
    private QueueVersion queue;
    private Keys keys;
    private UnifiedJedis redis;

    @BeforeEach
    void setUp() {
        broker = TestRedis.broker(clock);
        client = new QueueClient(broker);
        inspector = new QueueInspector(broker, clock);
        queue = inspector.ensureQueue(TestRedis.uniqueQueue("fair"));
        keys = new Keys(queue);
        redis = TestRedis.client();
    }

    @AfterEach
    void tearDown() {
        broker.obliterate(queue, true);
        broker.close();
        redis.close();
    }

    /** Enqueues n jobs whose payload names their group and priority, so a fetched job says where it came from. */
    private void enqueue(String group, Priority priority, int n) {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String label = (group == null ? "default" : group) + "/" + priority.wireName();
            jobs.add(NewJob.of("{\"from\":\"" + label + "\",\"n\":" + i + "}").withGroup(group).withPriority(priority));
        }
        client.enqueueBatch(queue, jobs);
    }

    private static String from(Job job) {
        return job.payload().replaceAll(".*\"from\":\"([^\"]+)\".*", "$1");
    }

    /** Fetches one job at a time, as free slots come one by one, and counts where each came from. */
    private Map<String, Integer> fetchOneByOne(String worker, int slots) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < slots; i++) {
            List<Job> jobs = broker.fetch(queue, worker, 1, null, LEASE).jobs();
            jobs.forEach(job -> counts.merge(from(job), 1, Integer::sum));
        }
        return counts;
    }

    private Map<String, Integer> tally(List<Job> jobs) {
        Map<String, Integer> counts = new TreeMap<>();
        jobs.forEach(job -> counts.merge(from(job), 1, Integer::sum));
        return counts;
    }

    @Test
    void urgentGoesFirstButOneJobInFiveGoesToTheLowerLevels() {
        enqueue(null, Priority.BULK, 50);
        enqueue(null, Priority.NORMAL, 50);
        enqueue(null, Priority.URGENT, 50);

        // 25 slots: turns 5, 10, 15 and 20 go to normal, turn 25 to bulk
        assertEquals(Map.of("default/urgent", 20, "default/normal", 4, "default/bulk", 1), fetchOneByOne("w1", 25));
        // the same rule inside one batch
        assertEquals(Map.of("default/urgent", 20, "default/normal", 4, "default/bulk", 1),
                tally(broker.fetch(queue, "w1", 25, null, LEASE).jobs()));
    }

    @Test
    void withoutUrgentWorkNormalGetsFourSlotsInFiveAndBulkTheFifth() {
        enqueue(null, Priority.BULK, 50);
        enqueue(null, Priority.NORMAL, 50);

        assertEquals(Map.of("default/normal", 40, "default/bulk", 10), tally(broker.fetch(queue, "w1", 50, null, LEASE).jobs()));
    }

    @Test
    void twoWaitingGroupsShareTheSlotsEquallyWhateverTheirBacklogs() {
        enqueue("pubA", Priority.NORMAL, 500);
        enqueue("pubB", Priority.NORMAL, 10);

        List<Job> first = broker.fetch(queue, "w1", 20, null, LEASE).jobs();
        assertEquals(Map.of("pubA/normal", 10, "pubB/normal", 10), tally(first));
        for (int i = 0; i < first.size(); i += 2) {
            assertTrue(!from(first.get(i)).equals(from(first.get(i + 1))), "the groups alternate: " + tally(first.subList(0, i + 2)));
        }
        assertEquals(Map.of("pubA/normal", 20), tally(broker.fetch(queue, "w1", 20, null, LEASE).jobs()), "B is done; A has the slots");
    }

    @Test
    void aGroupThatWasIdleStartsAtTheCurrentTurnInsteadOfCatchingUp() {
        enqueue("pubA", Priority.NORMAL, 100);
        broker.fetch(queue, "w1", 60, null, LEASE);
        enqueue("pubB", Priority.NORMAL, 100);

        assertEquals(Map.of("pubA/normal", 10, "pubB/normal", 10), tally(broker.fetch(queue, "w1", 20, null, LEASE).jobs()));
    }

    @Test
    void weightsDivideTheSlots() {
        broker.setGroupSettings(queue, "heavy", new GroupSettings(3, OptionalInt.empty()));
        enqueue("heavy", Priority.NORMAL, 100);
        enqueue("light", Priority.NORMAL, 100);

        assertEquals(Map.of("heavy/normal", 30, "light/normal", 10), tally(broker.fetch(queue, "w1", 40, null, LEASE).jobs()));
    }

    @Test
    void plainJobsAreTheDefaultGroupOfTheNormalLevel() {
        enqueue(null, Priority.NORMAL, 100); // the pending list, today's job format
        enqueue("pubB", Priority.NORMAL, 10);

        assertEquals(Map.of("default/normal", 10, "pubB/normal", 10), tally(broker.fetch(queue, "w1", 20, null, LEASE).jobs()));
        assertTrue(redis.hget(keys.meta, broker.jobIds(queue, JobState.PENDING, 0, 1).get(0)).indexOf("level") < 0,
                "plain jobs keep today's record");
    }

    @Test
    void jobsWrittenInTodaysFormatAreServedAsNormalInTheDefaultGroup() {
        long now = clock.millis();
        // exactly what enqueue.lua wrote before priorities and groups, and the older layout before job_record.lua
        redis.hset(keys.meta, "old-1", "{\"state\":\"pending\",\"worker\":\"\",\"deliveries\":0,\"finishedAt\":0,\"attempts\":0,"
                + "\"startedAt\":0,\"maxAttempts\":5,\"timeoutMs\":600000,\"availableAt\":" + now + ",\"createdAt\":" + now + "}");
        redis.hset(keys.meta, "old-2", "{\"attempts\":0,\"maxAttempts\":5,\"state\":\"pending\",\"deliveries\":0,\"timeoutMs\":600000,"
                + "\"availableAt\":" + now + ",\"createdAt\":" + now + "}");
        redis.hset(keys.payload, "old-1", "{\"from\":\"old\"}");
        redis.hset(keys.payload, "old-2", "{\"from\":\"old\"}");
        redis.lpush(keys.pending, "old-1", "old-2");
        enqueue("pubB", Priority.NORMAL, 4);
        enqueue(null, Priority.URGENT, 1);

        List<Job> jobs = broker.fetch(queue, "w1", 7, null, LEASE).jobs();
        assertEquals("default/urgent", from(jobs.get(0)));
        assertEquals(Map.of("old", 2, "pubB/normal", 4, "default/urgent", 1), tally(jobs));
        List<Boolean> acks = broker.complete(queue, "w1", jobs.stream().map(j -> new Ack(j.id(), j.token())).toList());
        assertFalse(acks.contains(false));
        assertEquals(JobState.DONE, broker.job(queue, "old-2").orElseThrow().state());
        assertEquals(0, inspector.counts(queue).unfinished());
    }

    @Test
    void aCappedGroupWaitsWithoutHoldingUpOthersAcrossWorkers() {
        broker.setGroupSettings(queue, "pubA", new GroupSettings(1, OptionalInt.of(2)));
        enqueue("pubA", Priority.NORMAL, 10);
        enqueue("pubB", Priority.NORMAL, 3);

        List<Job> w1 = broker.fetch(queue, "w1", 5, null, LEASE).jobs();
        assertEquals(Map.of("pubA/normal", 2, "pubB/normal", 3), tally(w1));
        assertEquals(8, inspector.counts(queue).pending());
        assertEquals(List.of(), broker.fetch(queue, "w2", 5, null, LEASE).jobs(), "A holds its cap on another worker");
        assertEquals(8, inspector.counts(queue).pending(), "parked jobs still count as pending");
        assertEquals(List.of(new GroupStatus("pubA", new GroupSettings(1, OptionalInt.of(2)), 2, 8),
                new GroupStatus("pubB", GroupSettings.DEFAULT, 3, 0)), broker.groups(queue));

        Job doneA = w1.stream().filter(j -> from(j).equals("pubA/normal")).findFirst().orElseThrow();
        assertEquals(List.of(true), broker.complete(queue, "w1", List.of(new Ack(doneA.id(), doneA.token()))));
        List<Job> w2 = broker.fetch(queue, "w2", 5, null, LEASE).jobs();
        assertEquals(Map.of("pubA/normal", 1), tally(w2), "one slot freed, one job runs");
        assertTrue(Integer.parseInt(w2.get(0).payload().replaceAll(".*\"n\":(\\d+).*", "$1")) == 2, "parked jobs keep their order");
    }

    @Test
    void aJobRecoveredFromACrashedWorkerFreesItsGroupsSlot() {
        broker.setGroupSettings(queue, "pubA", new GroupSettings(1, OptionalInt.of(1)));
        enqueue("pubA", Priority.NORMAL, 3);
        Job crashed = broker.fetch(queue, "dead-worker", 3, null, LEASE).jobs().get(0);
        assertEquals(List.of(), broker.fetch(queue, "live", 3, null, LEASE).jobs());

        clock.advance(LEASE.plusMillis(1));
        assertEquals(new Recovery(1, 0), broker.recover(queue, Duration.ofMinutes(1)));

        List<Job> again = broker.fetch(queue, "live", 3, null, LEASE).jobs();
        assertEquals(List.of(crashed.id()), again.stream().map(Job::id).toList(), "the recovered job first, and only one: the cap holds");
        assertEquals(1, broker.groups(queue).get(0).running());
    }

    @Test
    void aFailedDeliveryAndAGracefulReleaseFreeTheSlotToo() {
        broker.setGroupSettings(queue, "pubA", new GroupSettings(1, OptionalInt.of(1)));
        enqueue("pubA", Priority.URGENT, 3);
        Job first = broker.fetch(queue, "w1", 3, null, LEASE).jobs().get(0);
        broker.fail(queue, "w1", new Failure(first, "boom", clock.millis() + 60_000, false));
        Job second = broker.fetch(queue, "w1", 3, null, LEASE).jobs().get(0);
        assertEquals(new Recovery(1, 0), broker.release(queue, "w1"));
        List<Job> again = broker.fetch(queue, "w2", 3, null, LEASE).jobs();
        assertEquals(List.of(second.id()), again.stream().map(Job::id).toList(), "given back to the front; the third stays parked");
        assertEquals(List.of(true), broker.complete(queue, "w2", List.of(new Ack(again.get(0).id(), again.get(0).token()))));
        clock.advance(Duration.ofMinutes(2));
        assertEquals(Map.of("pubA/urgent", 1), tally(broker.fetch(queue, "w2", 3, null, LEASE).jobs()), "the retry came back, still capped at one");
    }

    @Test
    void aCapSetWhileTheGroupRunsCountsTheJobsAlreadyRunning() {
        enqueue("pubA", Priority.NORMAL, 6);
        enqueue("pubB", Priority.NORMAL, 2);
        List<Job> first = broker.fetch(queue, "w1", 4, null, LEASE).jobs();
        assertEquals(Map.of("pubA/normal", 2, "pubB/normal", 2), tally(first));

        broker.setGroupSettings(queue, "pubA", new GroupSettings(1, OptionalInt.of(2)));
        assertEquals(List.of(), broker.fetch(queue, "w2", 4, null, LEASE).jobs(), "A already runs its new cap of 2");
        // one ack batch ends both of A's jobs and one of B's: each freed slot of A puts one parked job back
        Job keptB = first.stream().filter(j -> from(j).equals("pubB/normal")).findFirst().orElseThrow();
        List<Ack> acks = first.stream().filter(j -> j != keptB).map(j -> new Ack(j.id(), j.token())).toList();
        assertEquals(List.of(true, true, true), broker.complete(queue, "w1", acks));
        assertEquals(List.of(new GroupStatus("pubA", new GroupSettings(1, OptionalInt.of(2)), 0, 2),
                new GroupStatus("pubB", GroupSettings.DEFAULT, 1, 0)), broker.groups(queue));
        assertEquals(Map.of("pubA/normal", 2), tally(broker.fetch(queue, "w2", 4, null, LEASE).jobs()), "the two put back run, the cap holds the rest");
    }

    @Test
    void onlyCappedGroupsKeepARunningCountYetEveryGroupsRunningJobsAreCounted() {
        enqueue("pubA", Priority.NORMAL, 3);
        enqueue("pubB", Priority.URGENT, 2);
        List<Job> running = broker.fetch(queue, "w1", 4, null, LEASE).jobs();
        assertEquals(List.of(), redis.hkeys(keys.groups).stream().filter(f -> f.startsWith("run:")).toList(),
                "no cap, no count: fetch kept none");
        assertEquals(List.of(new GroupStatus("pubA", GroupSettings.DEFAULT, 2, 0), new GroupStatus("pubB", GroupSettings.DEFAULT, 2, 0)),
                broker.groups(queue), "counted from the active jobs");

        broker.setGroupSettings(queue, "pubA", new GroupSettings(1, OptionalInt.of(5)));
        assertEquals("2", redis.hget(keys.groups, "run:pubA"), "a cap counts the group's running jobs");
        Job a = running.stream().filter(j -> from(j).equals("pubA/normal")).findFirst().orElseThrow();
        Job b = running.stream().filter(j -> from(j).equals("pubB/urgent")).findFirst().orElseThrow();
        assertEquals(List.of(true, true), broker.complete(queue, "w1", List.of(new Ack(a.id(), a.token()), new Ack(b.id(), b.token()))));
        assertEquals("1", redis.hget(keys.groups, "run:pubA"), "an ack counts down a capped group only");
        assertFalse(redis.hexists(keys.groups, "run:pubB"));

        broker.setGroupSettings(queue, "pubA", GroupSettings.DEFAULT);
        assertFalse(redis.hexists(keys.groups, "run:pubA"), "a cap removed takes its count along");
        assertEquals(List.of(new GroupStatus("pubA", GroupSettings.DEFAULT, 1, 0), new GroupStatus("pubB", GroupSettings.DEFAULT, 1, 0)),
                broker.groups(queue));

        // an older build's worker counts every group: the janitor forgets what it left of uncapped ones
        redis.hset(keys.groups, "run:pubB", "7");
        assertEquals(List.of(), broker.trim(queue));
        assertFalse(redis.hexists(keys.groups, "run:pubB"));
    }

    @Test
    void aCapSetByAnOlderAdminThatCountsNothingIsCorrectedByTheJanitor() {
        enqueue("pubA", Priority.NORMAL, 10);
        assertEquals(4, broker.fetch(queue, "w1", 4, null, LEASE).jobs().size());
        // what the previous build's group_settings.lua does: the cap alone, no count of the running jobs
        redis.hset(keys.groupSettings, "cap:pubA", "3");
        assertEquals(3, broker.fetch(queue, "w2", 3, null, LEASE).jobs().size(), "without a count the cap does not hold yet");

        assertEquals(List.of(new CountCorrection("pubA", 3, 7)), broker.trim(queue));
        assertEquals(List.of(), broker.fetch(queue, "w2", 3, null, LEASE).jobs(), "counted: 7 run, over the cap of 3");
        assertEquals(List.of(new GroupStatus("pubA", new GroupSettings(1, OptionalInt.of(3)), 7, 3)), broker.groups(queue));

        // the janitor of every worker calls trim: the count runs at most once per 30 s per version
        redis.hset(keys.groups, "run:pubA", "1");
        assertEquals(List.of(), broker.trim(queue), "counted a moment ago");
        clock.advance(Duration.ofSeconds(30));
        assertEquals(List.of(new CountCorrection("pubA", 1, 7)), broker.trim(queue));
        clock.advance(Duration.ofSeconds(30));
        assertEquals(List.of(), broker.trim(queue), "a true count is left alone");
    }

    @Test
    void capsHoldWhenManyGroupsHaveSettings() {
        // more settings than fetch reads at once (fair_queue.lua's SMALL_SETTINGS): caps are then read per group
        for (int i = 0; i < 70; i++) {
            broker.setGroupSettings(queue, "weighted" + i, new GroupSettings(2, OptionalInt.empty()));
        }
        broker.setGroupSettings(queue, "pubA", new GroupSettings(1, OptionalInt.of(1)));
        enqueue("pubA", Priority.NORMAL, 3);
        enqueue("pubB", Priority.NORMAL, 3);
        List<Job> jobs = broker.fetch(queue, "w1", 6, null, LEASE).jobs();
        assertEquals(Map.of("pubA/normal", 1, "pubB/normal", 3), tally(jobs));
        Job a = jobs.stream().filter(j -> from(j).equals("pubA/normal")).findFirst().orElseThrow();
        assertEquals(List.of(true), broker.complete(queue, "w1", List.of(new Ack(a.id(), a.token()))));
        assertEquals(Map.of("pubA/normal", 1), tally(broker.fetch(queue, "w1", 6, null, LEASE).jobs()));
    }

    @Test
    void trimForgetsLastTagsTheVirtualTimeHasPassedAndKeepsTheOthers() {
        enqueue("pubA", Priority.NORMAL, 1);
        enqueue("pubB", Priority.NORMAL, 3);
        assertEquals(Map.of("pubA/normal", 1, "pubB/normal", 1), tally(broker.fetch(queue, "w1", 2, null, LEASE).jobs()));
        assertTrue(redis.hexists(keys.groups, "f:normal:pubA"), "fetch leaves the served group's last tag to the janitor");

        broker.trim(queue);

        assertEquals(false, redis.hexists(keys.groups, "f:normal:pubA"), "A has nothing waiting: its tag is forgotten");
        assertTrue(redis.hexists(keys.groups, "f:normal:pubB"), "B still has jobs waiting behind its last tag");
        assertEquals(false, redis.hexists(keys.groups, "trim-cursor"), "one pass covered the hash");
        // A comes back after its tag was forgotten and still alternates with B's backlog, starting at the current turn
        enqueue("pubA", Priority.NORMAL, 2);
        assertEquals(Map.of("pubA/normal", 2, "pubB/normal", 2), fetchOneByOne("w1", 4));
    }

    @Test
    void raisingACapPutsParkedJobsBack() {
        broker.setGroupSettings(queue, "pubA", new GroupSettings(1, OptionalInt.of(1)));
        enqueue("pubA", Priority.BULK, 5);
        assertEquals(1, broker.fetch(queue, "w1", 5, null, LEASE).jobs().size());

        assertEquals(2, broker.setGroupSettings(queue, "pubA", new GroupSettings(1, OptionalInt.of(3))));
        assertEquals(2, broker.fetch(queue, "w1", 5, null, LEASE).jobs().size());
        assertEquals(2, broker.setGroupSettings(queue, "pubA", GroupSettings.DEFAULT), "no cap: every parked job goes back");
        assertEquals(2, broker.fetch(queue, "w1", 5, null, LEASE).jobs().size());
    }

    @Test
    void aWorkerBlockedOnTheEmptyQueueWakesForAGroupedJob() throws Exception {
        CompletableFuture<Optional<String>> waiting = CompletableFuture.supplyAsync(() -> broker.awaitJob(queue, "w1", Duration.ofSeconds(20)));
        Thread.sleep(200);
        enqueue("pubB", Priority.URGENT, 1);

        String moved = waiting.get(10, TimeUnit.SECONDS).orElseThrow();
        List<Job> jobs = broker.fetch(queue, "w1", 1, moved, LEASE).jobs();
        assertEquals(Map.of("pubB/urgent", 1), tally(jobs));
        assertEquals(List.of(jobs.get(0).id()), redis.lrange(keys.active("w1"), 0, -1), "the wake marker is gone");
        assertEquals(0, inspector.counts(queue).pending(), "wake markers are not jobs");
    }

    @Test
    void delayedAndRequeuedJobsComeBackToTheirGroupAndLevel() {
        client.enqueue(queue, NewJob.of("{\"from\":\"later\"}").withGroup("pubA").withPriority(Priority.URGENT).withDelay(Duration.ofSeconds(5)));
        enqueue(null, Priority.NORMAL, 3);
        clock.advance(Duration.ofSeconds(6));
        Job promoted = broker.fetch(queue, "w1", 1, null, LEASE).jobs().get(0);
        assertEquals("later", from(promoted));
        broker.fail(queue, "w1", new Failure(promoted, "bad input", clock.millis(), true));

        assertEquals(1, inspector.requeueDead(queue, List.of(promoted.id())));
        assertEquals(promoted.id(), broker.fetch(queue, "w1", 1, null, LEASE).jobs().get(0).id(), "still urgent");
    }

    @Test
    void aDrainingVersionIsNotRetiredWhileGroupedOrParkedJobsWaitButWakeMarkersDoNotHoldItUp() {
        broker.setGroupSettings(queue, "pubA", new GroupSettings(1, OptionalInt.of(1)));
        enqueue("pubA", Priority.URGENT, 2); // onto an empty pending list: two wake markers
        List<Job> running = broker.fetch(queue, "w1", 2, null, LEASE).jobs(); // one runs, one parks; urgent first, markers stay
        broker.changeState(queue, QueueBroker.VersionChange.DRAIN, false);
        broker.complete(queue, "w1", List.of(new Ack(running.get(0).id(), running.get(0).token()))); // the parked one goes back

        QueueStateException refused = org.junit.jupiter.api.Assertions.assertThrows(QueueStateException.class,
                () -> broker.changeState(queue, QueueBroker.VersionChange.RETIRE, false));
        assertTrue(refused.getMessage().contains("1 jobs still pending"), refused.getMessage());
        Job last = broker.fetch(queue, "w1", 1, null, LEASE).jobs().get(0);
        broker.complete(queue, "w1", List.of(new Ack(last.id(), last.token())));

        assertTrue(redis.llen(keys.pending) > 0, "wake markers are left on the list");
        assertEquals(VersionState.RETIRED, broker.changeState(queue, QueueBroker.VersionChange.RETIRE, false));
    }

    @Test
    void migrationCarriesPrioritiesGroupsAndParkedJobsOver() {
        broker.setGroupSettings(queue, "pubA", new GroupSettings(1, OptionalInt.of(1)));
        enqueue("pubA", Priority.BULK, 3);
        enqueue("pubB", Priority.URGENT, 2);
        enqueue(null, Priority.NORMAL, 2);
        Job running = broker.fetch(queue, "w1", 1, null, LEASE).jobs().get(0); // pubB, urgent
        broker.fetch(queue, "w1", 20, null, LEASE); // the rest of what may run; A's others park
        List<String> leftBehind = broker.jobIds(queue, JobState.PENDING, 0, 100);
        assertEquals(2, leftBehind.size(), "two parked bulk jobs of A");
        QueueVersion next = inspector.newVersion(queue.name());
        inspector.setCurrent(next);
        broker.changeState(queue, QueueBroker.VersionChange.DRAIN, false);
        try {
            assertEquals(2, broker.migrate(queue, next, 100));
            for (String id : leftBehind) {
                Map<String, Object> record = broker.job(next, id).orElseThrow().record();
                assertEquals("bulk", record.get("level"));
                assertEquals("pubA", record.get("group"));
            }
            assertEquals(0, inspector.counts(queue).pending());
            assertEquals("pubB/urgent", from(running));
        } finally {
            broker.obliterate(next, true);
        }
    }
}

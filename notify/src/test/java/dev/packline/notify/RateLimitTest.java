package dev.packline.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.queue.TestClock;
import dev.packline.notify.FakeService.Reply;
import dev.packline.notify.NotifyFixtures.ClockSleeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.packline.notify.NotifyFixtures.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token bucket and the digests of what it holds back, on a clock moved by hand. */
class RateLimitTest {
    private final TestClock clock = new TestClock(NotifyFixtures.START_MILLIS);

    /** Records what it is given; fails the sends it is told to. */
    private static final class RecordingChannel implements AlertChannel {
        final List<Alert> sent = new ArrayList<>();
        final Deque<Exception> failures = new ArrayDeque<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void send(Alert alert) throws Exception {
            Exception failure = failures.pollFirst();
            if (failure != null) {
                throw failure;
            }
            sent.add(alert);
        }
    }

    record Window(String name, TokenBucket.Rate rate, Duration window, int maxGranted) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Window> windows() {
        return Stream.of(
                new Window("robots: at most 19 in any minute", TokenBucket.ROBOT_RATE, Duration.ofMinutes(1), 19),
                new Window("robots: at most 5 at once", TokenBucket.ROBOT_RATE, Duration.ofMillis(1), 5),
                new Window("1 a second, burst 2: at most 3 in any 1.5 s", new TokenBucket.Rate(2, Duration.ofSeconds(1)), Duration.ofMillis(1500), 3));
    }

    /** Asks every 100 ms for 10 minutes and checks every sliding window of grants. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void theBucketNeverGrantsMoreThanItsRateInAnySlidingWindow(Window c) {
        TokenBucket bucket = new TokenBucket(c.rate(), clock);
        List<Long> granted = new ArrayList<>();
        for (int step = 0; step < 6000; step++) {
            while (bucket.tryTake()) { // a burst takes all it can at each instant
                granted.add(clock.millis());
            }
            clock.advance(Duration.ofMillis(100));
        }
        int most = 0;
        for (int i = 0, j = 0; i < granted.size(); i++) {
            while (granted.get(i) - granted.get(j) >= c.window().toMillis()) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        assertEquals(c.maxGranted(), most);
        assertTrue(granted.size() >= 600 / c.rate().refillEvery().toSeconds(), "and it does refill: " + granted.size());
    }

    @Test
    void aBurstBeyondTheBucketIsHeldAndGoesOutAsOneDigestWithTheNextAlert() throws Exception {
        RecordingChannel delegate = new RecordingChannel();
        RateLimitedChannel channel = new RateLimitedChannel(delegate, new TokenBucket(TokenBucket.ROBOT_RATE, clock));
        for (int i = 1; i <= 8; i++) {
            channel.send(alert("alert " + i, i == 7 ? Alert.Severity.CRITICAL : Alert.Severity.WARNING, Alert.Status.FIRING, "details of " + i));
        }
        assertEquals(5, delegate.sent.size(), "the burst of the bucket goes out at once");
        assertEquals(3, channel.heldCount(), "the rest is held, not dropped and not waited for");
        assertFalse(channel.flushHeld(), "no token yet");

        clock.advance(Duration.ofSeconds(4));
        channel.send(alert("alert 9", Alert.Severity.INFO, Alert.Status.RESOLVED, "details of 9"));

        assertEquals(6, delegate.sent.size());
        Alert digest = delegate.sent.get(5);
        assertEquals("4 alerts in one message (over the channel's rate limit)", digest.title());
        assertEquals(Alert.Severity.CRITICAL, digest.severity(), "the worst of them");
        assertEquals(Alert.Status.FIRING, digest.status(), "some still fire");
        assertEquals(Map.of("alerts", "4"), digest.labels());
        assertEquals("""
                - [WARNING] alert 6 (2024-05-01T10:00:00Z)
                  details of 6
                - [CRITICAL] alert 7 (2024-05-01T10:00:00Z)
                  details of 7
                - [WARNING] alert 8 (2024-05-01T10:00:00Z)
                  details of 8
                - [INFO, resolved] alert 9 (2024-05-01T10:00:00Z)
                  details of 9
                """, digest.text());
        assertEquals(0, channel.heldCount());
    }

    @Test
    void theFlusherSendsHeldAlertsWhenNoNewAlertComes() throws Exception {
        RecordingChannel delegate = new RecordingChannel();
        RateLimitedChannel channel = new RateLimitedChannel(delegate, new TokenBucket(new TokenBucket.Rate(1, Duration.ofSeconds(4)), clock));
        channel.send(alert("first"));
        channel.send(alert("second"));
        assertEquals(1, channel.heldCount());

        clock.advance(Duration.ofSeconds(4));
        assertTrue(channel.flushHeld());

        assertEquals(List.of("first", "second"), delegate.sent.stream().map(Alert::title).toList(), "one held alert goes out as itself");
        assertFalse(channel.flushHeld(), "nothing left");
    }

    @Test
    void aFailedDigestKeepsTheHeldAlertsAndThrowsTheCallersBack() throws Exception {
        RecordingChannel delegate = new RecordingChannel();
        RateLimitedChannel channel = new RateLimitedChannel(delegate, new TokenBucket(new TokenBucket.Rate(1, Duration.ofSeconds(4)), clock));
        channel.send(alert("sent"));
        channel.send(alert("held 1"));
        channel.send(alert("held 2"));

        clock.advance(Duration.ofSeconds(4));
        Exception down = new IllegalStateException("robot down");
        delegate.failures.add(down);
        assertSame(down, assertThrows(IllegalStateException.class, () -> channel.send(alert("caller's"))));
        assertEquals(2, channel.heldCount(), "the held ones stay; the caller keeps its own alert");

        clock.advance(Duration.ofSeconds(4));
        assertTrue(channel.flushHeld());
        assertTrue(delegate.sent.get(1).text().contains("held 1") && delegate.sent.get(1).text().contains("held 2")
                && !delegate.sent.get(1).text().contains("caller's"), delegate.sent.get(1).text());
    }

    @Test
    void aStormHoldsABoundedNumberInFullAndCountsTheRest() throws Exception {
        RecordingChannel delegate = new RecordingChannel();
        RateLimitedChannel channel = new RateLimitedChannel(delegate, new TokenBucket(new TokenBucket.Rate(1, Duration.ofSeconds(4)), clock));
        channel.send(alert("sent"));
        for (int i = 0; i < RateLimitedChannel.MAX_HELD + 5; i++) {
            channel.send(alert("held " + i));
        }
        assertEquals(RateLimitedChannel.MAX_HELD + 5, channel.heldCount());

        clock.advance(Duration.ofSeconds(4));
        channel.flushHeld();

        Alert digest = delegate.sent.get(1);
        assertEquals((RateLimitedChannel.MAX_HELD + 5) + " alerts in one message (over the channel's rate limit)", digest.title());
        assertTrue(digest.text().endsWith("... and 5 more not shown (held beyond " + RateLimitedChannel.MAX_HELD + ")\n"), digest.text());
    }

    /** End to end: DingTalk built from settings, a burst against a real HTTP robot, then the flusher's digest. */
    @Test
    void aBurstToARobotBecomesFiveMessagesAndOneDigest() throws Exception {
        ClockSleeper sleeper = new ClockSleeper(clock);
        try (FakeService robot = new FakeService(Reply.of(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
             WebhookClient client = new WebhookClient(NotifyFixtures.TEST_PARAMS, clock, sleeper);
             NotificationChannels channels = NotificationChannels.fromSettings(
                     Map.of("ops", new ChannelSpec("dingtalk", robot.url("/robot/send?access_token=t0ken-123").toString(), null)), Map.of(), client)) {
            for (int i = 1; i <= 8; i++) {
                channels.all().send(alert("dead letters " + i));
            }
            assertEquals(5, robot.received().size());

            channels.flushHeld();
            assertEquals(5, robot.received().size(), "the bucket is empty: still held");
            clock.advance(Duration.ofSeconds(4));
            channels.flushHeld();

            assertEquals(6, robot.received().size());
            JsonNode digest = robot.received().get(5).json();
            assertEquals("[CRITICAL] 3 alerts in one message (over the channel's rate limit)", digest.at("/markdown/title").asText());
            String text = digest.at("/markdown/text").asText();
            assertTrue(text.contains("dead letters 6") && text.contains("dead letters 7") && text.contains("dead letters 8"), text);
            assertTrue(sleeper.sleeps.isEmpty(), "nothing waited");
        }
    }

    /** Shutdown waits (a bounded time) for a token and sends what is still held rather than losing it. */
    @Test
    void closingSendsWhatIsStillHeld() throws Exception {
        ClockSleeper sleeper = new ClockSleeper(clock);
        try (FakeService robot = new FakeService(Reply.of(200, "{\"code\":0,\"msg\":\"success\"}"));
             WebhookClient client = new WebhookClient(NotifyFixtures.TEST_PARAMS, clock, sleeper)) {
            NotificationChannels channels = NotificationChannels.fromSettings(
                    Map.of("lark", new ChannelSpec("feishu", robot.url("/open-apis/bot/v2/hook/abc-123").toString(), null)), Map.of(), client);
            for (int i = 1; i <= 7; i++) {
                channels.all().send(alert("dead letters " + i));
            }
            assertEquals(5, robot.received().size());

            channels.close();

            assertEquals(List.of(Duration.ofSeconds(4)), sleeper.sleeps, "waited for one token");
            assertEquals(6, robot.received().size());
            assertTrue(robot.received().get(5).json().at("/content/text").asText().startsWith("[CRITICAL] 2 alerts in one message"));
        }
    }
}

package dev.packline.notify;

import dev.packline.queue.TestClock;
import dev.packline.notify.FakeService.Received;
import dev.packline.notify.FakeService.Reply;
import dev.packline.notify.NotifyFixtures.ClockSleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.packline.notify.NotifyFixtures.alert;
import static dev.packline.notify.NotifyFixtures.printed;
import static dev.packline.notify.NotifyFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How channels fail: refusals (4xx, error codes in a 200 body) at once with the channel and the
 * error named; 5xx, 429 and timeouts retried with backoff, then given up; and never a token or
 * secret in a message or stack trace, even when the service echoes them back.
 */
class ChannelErrorsTest {
    private static final String TOKEN = "tok3n-0f-the-r0bot";
    private static final String SECRET = "SECsigning-secret-0123456789";
    private static final String WEBHOOK_SECRET = "whsec_" + Base64.getEncoder().encodeToString(utf8("webhook-key-0123456789abcdef"));

    private final TestClock clock = new TestClock(NotifyFixtures.START_MILLIS);
    private final ClockSleeper sleeper = new ClockSleeper(clock);
    private final WebhookClient client = new WebhookClient(NotifyFixtures.TEST_PARAMS, clock, sleeper);
    private FakeService service;

    @AfterEach
    void tearDown() {
        client.close();
        if (service != null) {
            service.close();
        }
    }

    /** A channel kind with the URL its service expects, the token in it, and its secret if it signs. */
    enum Kind {
        DINGTALK("/robot/send?access_token=" + TOKEN),
        WECOM("/cgi-bin/webhook/send?key=" + TOKEN),
        FEISHU("/open-apis/bot/v2/hook/" + TOKEN),
        SLACK("/services/T000/B000/" + TOKEN),
        WEBHOOK("/hooks/" + TOKEN);

        final String path;

        Kind(String path) {
            this.path = path;
        }

        /** The signing secret this kind's channel knows, if any. */
        String secret() {
            return switch (this) {
                case DINGTALK, FEISHU -> SECRET;
                case WEBHOOK -> WEBHOOK_SECRET;
                case WECOM, SLACK -> "";
            };
        }

        AlertChannel channel(URI url, WebhookClient client) {
            return switch (this) {
                case DINGTALK -> new DingTalkChannel("ops-ding", url, SECRET, DingTalkChannel.Format.MARKDOWN, client);
                case WECOM -> new WeComChannel("ops-wecom", url, WeComChannel.Format.MARKDOWN, client);
                case FEISHU -> new FeishuChannel("ops-feishu", url, SECRET, client);
                case SLACK -> new SlackChannel("ops-slack", url, client);
                case WEBHOOK -> new WebhookChannel("ops-hook", url, WEBHOOK_SECRET, client);
            };
        }
    }

    /** A service reply that quotes back the whole request and the channel's secret, the way careless error pages do. */
    private static Function<Received, Reply> echoing(Kind kind, int status, String bodyTemplate) {
        return r -> Reply.of(status, bodyTemplate.replace("ECHO", (r.path() + "?" + r.rawQuery() + " " + r.body() + " " + r.headers() + " "
                + kind.secret()).replace("\"", "'")));
    }

    record Refusal(String name, Kind kind, Function<Received, Reply> reply, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        return Stream.of(
                new Refusal("dingtalk bad signature", Kind.DINGTALK, echoing(Kind.DINGTALK, 200, "{\"errcode\":310000,\"errmsg\":\"sign not match: ECHO\"}"),
                        "refused the message: errcode 310000: sign not match"),
                new Refusal("dingtalk over its rate", Kind.DINGTALK, echoing(Kind.DINGTALK, 200, "{\"errcode\":130101,\"errmsg\":\"send too fast ECHO\"}"),
                        "errcode 130101: send too fast"),
                new Refusal("dingtalk reply not JSON", Kind.DINGTALK, echoing(Kind.DINGTALK, 200, "<html>ECHO</html>"),
                        "HTTP 200 without 'errcode' in the reply: <html>"),
                new Refusal("wecom bad key", Kind.WECOM, echoing(Kind.WECOM, 200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url ECHO\"}"),
                        "errcode 93000: invalid webhook url"),
                new Refusal("feishu bad signature", Kind.FEISHU, echoing(Kind.FEISHU, 200, "{\"code\":19021,\"msg\":\"sign match fail ECHO\",\"data\":{}}"),
                        "code 19021: sign match fail"),
                new Refusal("feishu older reply form", Kind.FEISHU, echoing(Kind.FEISHU, 200, "{\"StatusCode\":9499,\"StatusMessage\":\"Bad Request ECHO\"}"),
                        "StatusCode 9499: Bad Request"),
                new Refusal("feishu refusal as HTTP 400", Kind.FEISHU, echoing(Kind.FEISHU, 400, "{\"code\":9499,\"msg\":\"Bad Request ECHO\"}"),
                        "HTTP 400: {\"code\":9499"),
                new Refusal("slack hook removed", Kind.SLACK, echoing(Kind.SLACK, 404, "no_service ECHO"), "HTTP 404: no_service"),
                new Refusal("slack bad payload", Kind.SLACK, echoing(Kind.SLACK, 400, "invalid_payload ECHO"), "HTTP 400: invalid_payload"),
                new Refusal("webhook unauthorized", Kind.WEBHOOK, echoing(Kind.WEBHOOK, 401, "bad signature ECHO"), "HTTP 401: bad signature"),
                new Refusal("webhook redirect", Kind.WEBHOOK, r -> Reply.of(302, "").withHeader("Location", "http://example.invalid/?t=" + TOKEN), "HTTP 302"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalsFailAtOnceNamingTheChannelAndTheErrorButNoSecret(Refusal c) {
        service = new FakeService(c.reply());
        AlertChannel channel = c.kind().channel(service.url(c.kind().path), client);

        NotificationException e = assertThrows(NotificationException.class, () -> channel.send(alert("4 pending jobs")));

        assertEquals(NotificationException.Reason.REJECTED, e.reason());
        assertEquals(channel.name(), e.channel());
        assertTrue(e.getMessage().startsWith("notification channel '" + channel.name() + "' (" + c.kind().name().toLowerCase() + " at 127.0.0.1:"),
                e.getMessage());
        assertTrue(e.getMessage().contains(c.expected()), e.getMessage());
        assertEquals(1, service.received().size(), "no retry for a refusal");
        assertTrue(sleeper.sleeps.isEmpty());
        assertNoSecrets(e);
    }

    record Flaky(String name, List<Reply> script, int requests, List<Duration> sleeps) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Flaky> recoverable() {
        return Stream.of(
                new Flaky("500 then ok", List.of(Reply.of(500, "oops")), 2, List.of(Duration.ofMillis(100))),
                new Flaky("502, 503 then ok", List.of(Reply.of(502, "bad gateway"), Reply.of(503, "unavailable")), 3,
                        List.of(Duration.ofMillis(100), Duration.ofMillis(200))),
                new Flaky("429 with Retry-After", List.of(Reply.of(429, "slow down").withHeader("Retry-After", "3")), 2, List.of(Duration.ofSeconds(3))),
                new Flaky("429 without Retry-After", List.of(Reply.of(429, "slow down")), 2, List.of(Duration.ofMillis(100))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recoverable")
    void serverErrorsAndRateLimitsAreRetriedWithBackoffThenSucceed(Flaky c) throws Exception {
        for (Kind kind : Kind.values()) {
            sleeper.sleeps.clear();
            try (FakeService s = new FakeService(Reply.of(200, kind == Kind.FEISHU ? "{\"code\":0,\"msg\":\"success\"}" : "{\"errcode\":0,\"errmsg\":\"ok\"}"))) {
                s.script(c.script().toArray(Reply[]::new));
                kind.channel(s.url(kind.path), client).send(alert("4 pending jobs"));
                assertEquals(c.requests(), s.received().size(), kind + ": requests");
                assertEquals(c.sleeps(), sleeper.sleeps, kind + ": waits between tries");
            }
        }
    }

    @Test
    void aTimeoutIsRetried() throws Exception {
        service = new FakeService(Reply.of(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"))
                .script(Reply.of(200, "{\"errcode\":0,\"errmsg\":\"late\"}").after(Duration.ofSeconds(2))); // past the 300 ms request timeout
        try (WebhookClient impatient = new WebhookClient(NotifyFixtures.SHORT_TIMEOUT_PARAMS, clock, sleeper)) {
            Kind.DINGTALK.channel(service.url(Kind.DINGTALK.path), impatient).send(alert("4 pending jobs"));
        }

        assertEquals(2, service.received().size());
        assertEquals(List.of(Duration.ofMillis(100)), sleeper.sleeps);
    }

    @Test
    void persistentServerErrorsGiveUpAfterTheLastTryAsUnavailable() {
        service = new FakeService(echoing(Kind.WECOM, 503, "down for maintenance ECHO"));
        AlertChannel channel = Kind.WECOM.channel(service.url(Kind.WECOM.path), client);

        NotificationException e = assertThrows(NotificationException.class, () -> channel.send(alert("4 pending jobs")));

        assertEquals(NotificationException.Reason.UNAVAILABLE, e.reason());
        assertEquals(3, service.received().size(), "maxAttempts");
        assertTrue(e.getMessage().contains("'ops-wecom' (wecom at 127.0.0.1:"), e.getMessage());
        assertTrue(e.getMessage().contains("is unavailable: gave up after 3 attempts, the last: HTTP 503: down for maintenance"), e.getMessage());
        assertNoSecrets(e);
    }

    @Test
    void aRetryAfterBeyondTheLimitGivesUpAtOnce() {
        service = new FakeService(Reply.of(429, "muted").withHeader("Retry-After", "600"));
        AlertChannel channel = Kind.SLACK.channel(service.url(Kind.SLACK.path), client);

        NotificationException e = assertThrows(NotificationException.class, () -> channel.send(alert("4 pending jobs")));

        assertEquals(NotificationException.Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().endsWith("HTTP 429: muted, and it asks to wait 600 s"), e.getMessage());
        assertEquals(1, service.received().size());
        assertTrue(sleeper.sleeps.isEmpty());
    }

    @Test
    void anUnreachableServiceIsRetriedThenNamedWithoutItsUrl() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AlertChannel channel = Kind.FEISHU.channel(URI.create("http://127.0.0.1:" + closedPort + Kind.FEISHU.path), client);

        NotificationException e = assertThrows(NotificationException.class, () -> channel.send(alert("4 pending jobs")));

        assertEquals(NotificationException.Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("gave up after 3 attempts, the last: ConnectException"), e.getMessage());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), sleeper.sleeps);
        assertNoSecrets(e);
    }

    @Test
    void redactionMasksCredentialsEvenInCausesThatQuoteThem() {
        Redactor redactor = Redactor.of(URI.create("https://oapi.dingtalk.com/robot/send?access_token=" + TOKEN), SECRET);
        Throwable scrubbed = redactor.scrub(new IllegalStateException("wrapper", new java.io.IOException("GET /robot/send?access_token=" + TOKEN
                + " with " + SECRET)));

        String text = printed(scrubbed);
        assertFalse(text.contains(TOKEN) || text.contains(SECRET), text);
        assertTrue(text.contains("java.io.IOException: GET /robot/send?access_token=*** with ***"), text);
        Exception clean = new IllegalStateException("nothing secret here");
        assertTrue(redactor.scrub(clean) == clean, "clean exceptions pass through as they are");
    }

    private static void assertNoSecrets(Throwable e) {
        String text = printed(e);
        for (String secret : List.of(TOKEN, SECRET, WEBHOOK_SECRET, WEBHOOK_SECRET.substring("whsec_".length()))) {
            assertFalse(text.contains(secret), "'" + secret + "' leaked into:\n" + text);
        }
    }
}

package dev.packline.notify;

import dev.packline.queue.TestClock;
import dev.packline.settings.SettingsException;
import dev.packline.notify.FakeService.Received;
import dev.packline.notify.FakeService.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.packline.notify.NotifyFixtures.alert;
import static dev.packline.notify.NotifyFixtures.hmacBase64;
import static dev.packline.notify.NotifyFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Building channels from a notifications: section: validation, env: indirection, fan-out. */
class NotificationChannelsTest {
    private static final String DING_URL = "https://oapi.dingtalk.com/robot/send?access_token=ding-access-token-1";
    private static final String WECOM_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-0123";
    private static final String SECRET = "SECdingtalk-signing-secret-9";

    private final TestClock clock = new TestClock(NotifyFixtures.START_MILLIS);
    private final WebhookClient client = new WebhookClient(NotifyFixtures.TEST_PARAMS, clock, new NotifyFixtures.ClockSleeper(clock));

    @AfterEach
    void tearDown() {
        client.close();
    }

    /** Every problem of a config, each named by its path, in one error; none quotes a URL or a secret. */
    @Test
    void validationListsEveryProblemAndQuotesNoCredential() {
        Map<String, ChannelSpec> specs = new LinkedHashMap<>();
        specs.put("ok-ding", new ChannelSpec("dingtalk", DING_URL, SECRET));
        specs.put("no-kind", new ChannelSpec(null, DING_URL, null));
        specs.put("odd-kind", new ChannelSpec("teams", DING_URL, null));
        specs.put("log-with-url", new ChannelSpec("log", DING_URL, SECRET));
        specs.put("ding-no-url", new ChannelSpec("dingtalk", null, null));
        specs.put("ding-no-token", new ChannelSpec("dingtalk", "https://oapi.dingtalk.com/robot/send?secret-ish=" + SECRET, null));
        specs.put("ding-short-secret", new ChannelSpec("dingtalk", DING_URL, "SEC1"));
        specs.put("wecom-signed", new ChannelSpec("wecom", WECOM_URL, SECRET));
        specs.put("wecom-no-key", new ChannelSpec("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", null));
        specs.put("not-a-url", new ChannelSpec("feishu", "open.feishu.cn/open-apis/bot/v2/hook/" + SECRET, null));
        specs.put("ftp", new ChannelSpec("slack", "ftp://hooks.slack.com/services/" + SECRET, null));
        specs.put("slack-signed", new ChannelSpec("slack", "https://hooks.slack.com/services/T0/B0/xyz", SECRET));
        specs.put("hook-unsigned", new ChannelSpec("webhook", "https://example.com/hooks", null));
        specs.put("hook-bad-secret", new ChannelSpec("webhook", "https://example.com/hooks", SECRET));
        specs.put("env-missing", new ChannelSpec("dingtalk", "env:PACKLINE_TEST_DING_URL", "env:PACKLINE_TEST_DING_SECRET"));
        specs.put("env-empty-name", new ChannelSpec("feishu", "env:", null));
        specs.put("bad name!", new ChannelSpec("log", null, null));
        specs.put("empty", null);

        SettingsException e = assertThrows(SettingsException.class, () -> NotificationChannels.fromSettings(specs, Map.of(), client));

        assertEquals(List.of(
                "notifications.no-kind.kind: missing; one of log, dingtalk, wecom, feishu, slack, webhook",
                "notifications.odd-kind.kind: 'teams' is not a channel kind; one of log, dingtalk, wecom, feishu, slack, webhook",
                "notifications.log-with-url.url: the log channel takes no url",
                "notifications.log-with-url.secret: the log channel takes no secret",
                "notifications.ding-no-url.url: missing; the dingtalk webhook URL (best as env:NAME, since it is a credential)",
                "notifications.ding-no-token.url: has no access_token parameter; copy the robot's whole webhook URL",
                "notifications.ding-short-secret.secret: too short for a signing secret (at least 8 characters)",
                "notifications.wecom-signed.secret: WeCom robots are not signed; remove it (the key in the url is the credential)",
                "notifications.wecom-no-key.url: has no key parameter; copy the robot's whole webhook URL",
                "notifications.not-a-url.url: not an absolute http(s) URL with a host",
                "notifications.ftp.url: not an absolute http(s) URL with a host",
                "notifications.slack-signed.secret: Slack incoming webhooks are not signed; remove it (the url is the credential)",
                "notifications.hook-unsigned.secret: missing; Standard Webhooks signs with a whsec_... secret",
                "notifications.hook-bad-secret.secret: not whsec_ followed by base64 (the Standard Webhooks form)",
                "notifications.env-missing.url: environment variable PACKLINE_TEST_DING_URL is not set",
                "notifications.env-missing.secret: environment variable PACKLINE_TEST_DING_SECRET is not set",
                "notifications.env-empty-name.url: 'env:' names no environment variable",
                "notifications.bad name!: a channel name is letters, digits, '-', '_' and '.', starting with a letter or digit",
                "notifications.empty: empty; give at least a kind (one of log, dingtalk, wecom, feishu, slack, webhook)"), e.problems());
        assertTrue(e.getMessage().startsWith("invalid configuration in notifications (19 problems):"), e.getMessage());
        for (String credential : List.of(SECRET, "ding-access-token-1", "wecom-key-0123", "xyz")) {
            assertFalse(e.getMessage().contains(credential), credential + " quoted in:\n" + e.getMessage());
        }
    }

    @Test
    void urlAndSecretComeFromTheEnvironmentWithEnvPrefix() throws Exception {
        try (FakeService robot = new FakeService(Reply.of(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"))) {
            Map<String, String> env = Map.of("OPS_DING_URL", robot.url("/robot/send?access_token=from-env-1").toString(), "OPS_DING_SECRET", SECRET);
            try (NotificationChannels channels = NotificationChannels.fromSettings(
                    Map.of("ops", new ChannelSpec("DingTalk", "env:OPS_DING_URL", "env:OPS_DING_SECRET")), env, client)) {
                channels.channel("ops").send(alert("from env"));
            }
            Received request = robot.only();
            assertEquals("from-env-1", request.query("access_token"));
            assertEquals(hmacBase64(utf8(SECRET), utf8(request.query("timestamp") + "\n" + SECRET)), request.query("sign"), "signed with the env secret");
        }
    }

    @Test
    void everyKindBuildsUnderItsNameAndNoneConfiguredMeansTheLog() {
        Map<String, ChannelSpec> specs = new LinkedHashMap<>();
        specs.put("audit", new ChannelSpec("log", null, null));
        specs.put("ding", new ChannelSpec("dingtalk", DING_URL, null));
        specs.put("wecom", new ChannelSpec("wecom", WECOM_URL, null));
        specs.put("lark", new ChannelSpec("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/abc-123", "feishu-secret-1"));
        specs.put("slack", new ChannelSpec("slack", "https://hooks.slack.com/services/T0/B0/xyz", null));
        specs.put("hooks", new ChannelSpec("webhook", "https://example.com/hooks",
                "whsec_" + Base64.getEncoder().encodeToString(utf8("0123456789abcdef0123456789abcdef"))));
        try (NotificationChannels channels = NotificationChannels.fromSettings(specs, Map.of(), client)) {
            assertEquals(List.of("audit", "ding", "wecom", "lark", "slack", "hooks"), new ArrayList<>(channels.channels().keySet()));
            assertInstanceOf(LogAlertChannel.class, channels.channel("audit"), "the log is not rate-limited");
            assertInstanceOf(RateLimitedChannel.class, channels.channel("ding"));
            assertEquals("lark", channels.channel("lark").name());
            assertEquals(6, assertInstanceOf(RoutedChannels.class, channels.all()).targets(alert("x")).size(), "platform alerts go to all six");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> channels.channel("nope"));
            assertEquals("no notification channel 'nope'; configured: audit, ding, wecom, lark, slack, hooks", e.getMessage());
        }
        try (NotificationChannels none = NotificationChannels.fromSettings(Map.of(), Map.of(), client)) {
            List<RoutedChannels.Route> routes = assertInstanceOf(RoutedChannels.class, none.all()).targets(alert("x"));
            assertEquals(1, routes.size());
            assertInstanceOf(LogAlertChannel.class, routes.get(0).channel());
        }
    }

    @Test
    void specsPrintWithoutTheirCredentials() {
        assertEquals("ChannelSpec[kind=dingtalk, url=***, secret=***]", new ChannelSpec("dingtalk", DING_URL, SECRET).toString());
        assertEquals("ChannelSpec[kind=dingtalk, url=env:DING_URL, secret=null]", new ChannelSpec("dingtalk", "env:DING_URL", null).toString());
    }

    /** Hand-written channels for the fan-out: one takes everything, one always fails. */
    private static AlertChannel taking(String name, List<String> log) {
        return new AlertChannel() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void send(Alert alert) {
                log.add(name + ":" + alert.title());
            }
        };
    }

    private static AlertChannel failing(String name, Exception error) {
        return new AlertChannel() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void send(Alert alert) throws Exception {
                throw error;
            }
        };
    }

    /**
     * Platform alerts go to the channels for everyone at or above their level; a request's summary to
     * the channels it named, or its publisher's; never to another publisher's channel.
     */
    @Test
    void alertsAreRoutedByLevelAndPublisher() throws Exception {
        List<String> got = new ArrayList<>();
        RoutedChannels routed = new RoutedChannels("notifications", List.of(
                new RoutedChannels.Route("ops", taking("ops", got), Alert.Severity.WARNING, java.util.Set.of()),
                new RoutedChannels.Route("shared", taking("shared", got), Alert.Severity.INFO, java.util.Set.of()),
                new RoutedChannels.Route("acme-ding", taking("acme-ding", got), Alert.Severity.INFO, java.util.Set.of("acme"))));

        routed.send(alert("backlog", Alert.Severity.INFO, Alert.Status.FIRING, "t"));
        assertEquals(List.of("shared:backlog"), got, "ops takes warn and up; a publisher's channel takes no platform alert");
        got.clear();
        routed.send(alert("crash loop", Alert.Severity.CRITICAL, Alert.Status.FIRING, "t"));
        assertEquals(List.of("ops:crash loop", "shared:crash loop"), got);

        got.clear();
        routed.send(summary("acme", "", Alert.Severity.INFO));
        assertEquals(List.of("acme-ding:summary"), got, "named nothing: the publisher's own channels");
        got.clear();
        routed.send(summary("acme", "shared,acme-ding", Alert.Severity.INFO));
        assertEquals(List.of("shared:summary", "acme-ding:summary"), got, "named channels");
        got.clear();
        routed.send(summary("rival", "acme-ding", Alert.Severity.INFO));
        assertEquals(List.of(), got, "another publisher's channel never gets it");
        got.clear();
        routed.send(summary("rival", "", Alert.Severity.WARNING));
        assertEquals(List.of("ops:summary", "shared:summary"), got, "no channel of its own: the channels for everyone, by level");

        got.clear();
        RoutedChannels onlyPublishers = new RoutedChannels("notifications", List.of(
                new RoutedChannels.Route("acme-ding", taking("acme-ding", got), Alert.Severity.INFO, java.util.Set.of("acme"))));
        onlyPublishers.send(alert("crash loop", Alert.Severity.CRITICAL, Alert.Status.FIRING, "t")); // to the log, not to acme
        assertEquals(List.of(), got, "a publisher's channel takes no platform alert even when it is the only channel");
    }

    @Test
    void levelsAndPublishersAreValidated() {
        Map<String, ChannelSpec> specs = new LinkedHashMap<>();
        specs.put("loud", new ChannelSpec("log", null, null, "verbose", List.of()));
        specs.put("nobody", new ChannelSpec("log", null, null, "warn", List.of(" ")));
        SettingsException e = assertThrows(SettingsException.class, () -> NotificationChannels.fromSettings(specs, Map.of(), client));
        assertTrue(e.getMessage().contains("notifications.loud.minLevel: 'verbose' is not a level; one of info, warn, error"), e.getMessage());
        assertTrue(e.getMessage().contains("notifications.nobody.publishers: an empty publisher name"), e.getMessage());
    }

    private static Alert summary(String publisher, String notify, Alert.Severity severity) {
        return new Alert("request:r1", severity, Alert.Status.RESOLVED, "summary", "1 of 1 channels done",
                Map.of("request", "r1", "publisher", publisher, "notify", notify), java.time.Instant.ofEpochMilli(NotifyFixtures.START_MILLIS));
    }

    @Test
    void aFanOutSendsPastFailuresAndThenNamesThemAll() {
        List<String> delivered = new ArrayList<>();
        Exception refused = new NotificationException("ding", NotificationException.Reason.REJECTED, "ding refused: errcode 310000", null);
        Exception down = new NotificationException("slack", NotificationException.Reason.UNAVAILABLE, "slack is unavailable: HTTP 503", null);
        FanOutChannel fanOut = new FanOutChannel("notifications", List.of(failing("ding", refused), taking("wecom", delivered),
                failing("slack", down), taking("hooks", delivered)));

        FanOutChannel.FanOutException e = assertThrows(FanOutChannel.FanOutException.class, () -> fanOut.send(alert("4 pending jobs")));

        assertEquals(List.of("wecom:4 pending jobs", "hooks:4 pending jobs"), delivered, "the others still got it");
        assertEquals(List.of("ding", "slack"), new ArrayList<>(e.failures().keySet()));
        assertEquals("alert 'backlog-pending:package:3' not delivered by 2 of 4 channels of 'notifications': "
                + "ding: ding refused: errcode 310000; slack: slack is unavailable: HTTP 503", e.getMessage());
        assertEquals(List.of(refused, down), List.of(e.getSuppressed()));
    }

    @Test
    void aFanOutWhereAllTakeItThrowsNothing() throws Exception {
        List<String> delivered = new ArrayList<>();
        new FanOutChannel("all", List.of(taking("a", delivered), taking("b", delivered))).send(alert("x"));
        assertEquals(List.of("a:x", "b:x"), delivered);
    }
}

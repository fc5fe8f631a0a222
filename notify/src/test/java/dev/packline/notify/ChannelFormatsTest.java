package dev.packline.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.queue.TestClock;
import dev.packline.notify.FakeService.Received;
import dev.packline.notify.FakeService.Reply;
import dev.packline.notify.NotifyFixtures.ClockSleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

import static dev.packline.notify.NotifyFixtures.alert;
import static dev.packline.notify.NotifyFixtures.hmacBase64;
import static dev.packline.notify.NotifyFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each channel puts on the wire, as a real HTTP server on loopback receives it: paths, query
 * parameters, headers, JSON bodies, content limits, and signatures recomputed here from the
 * received timestamp with the published algorithms (not with the channel's code).
 */
class ChannelFormatsTest {
    private static final String DINGTALK_SECRET = "SEC0123456789abcdef0123456789abcdef";
    private static final String FEISHU_SECRET = "feishu-signing-secret-42";
    private static final String WEBHOOK_SECRET = "whsec_" + Base64.getEncoder().encodeToString(utf8("a-32-byte-key-for-hmac-sha256!!!"));

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

    @Test
    void dingTalkSignsTheUrlWithMillisecondsAndPostsMarkdown() throws Exception {
        service = new FakeService(Reply.of(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
        new DingTalkChannel("ops", service.url("/robot/send?access_token=ding-token-123456"), DINGTALK_SECRET,
                DingTalkChannel.Format.MARKDOWN, client).send(alert("4 pending jobs"));

        Received request = service.only();
        assertEquals("POST", request.method());
        assertEquals("/robot/send", request.path());
        assertTrue(request.header("Content-Type").startsWith("application/json"), request.header("Content-Type"));
        assertEquals("ding-token-123456", request.query("access_token"));
        String timestamp = request.query("timestamp");
        assertEquals(Long.toString(NotifyFixtures.START_MILLIS), timestamp, "milliseconds, from the injected clock");
        String expectedSign = hmacBase64(utf8(DINGTALK_SECRET), utf8(timestamp + "\n" + DINGTALK_SECRET));
        assertEquals(expectedSign, request.query("sign"), "urldecode(sign) = base64(HmacSHA256(secret, timestamp\\nsecret))");
        assertTrue(request.rawQuery("sign").matches("[A-Za-z0-9%]+"), "the sign is URL-encoded: " + request.rawQuery("sign"));

        JsonNode body = request.json();
        assertEquals("markdown", body.get("msgtype").asText());
        assertEquals("[CRITICAL] 4 pending jobs", body.at("/markdown/title").asText());
        String text = body.at("/markdown/text").asText();
        assertTrue(text.startsWith("#### [CRITICAL] 4 pending jobs\n\npending 12000 jobs"), text);
        assertTrue(text.endsWith("> queue=package, version=3 · 2024-05-01T10:00:00Z"), text);
    }

    @Test
    void dingTalkWithoutASecretSendsPlainTextUnsigned() throws Exception {
        service = new FakeService(Reply.of(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
        new DingTalkChannel("ops", service.url("/robot/send?access_token=ding-token-123456"), null, DingTalkChannel.Format.TEXT, client)
                .send(alert("4 pending jobs"));

        Received request = service.only();
        assertEquals("access_token=ding-token-123456", request.rawQuery(), "no timestamp or sign without a secret");
        assertEquals("text", request.json().get("msgtype").asText());
        assertTrue(request.json().at("/text/content").asText().startsWith("[CRITICAL] 4 pending jobs\n\npending 12000 jobs"));
    }

    @Test
    void weComPutsNothingButTheKeyInTheUrl() throws Exception {
        service = new FakeService(Reply.of(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
        new WeComChannel("wecom", service.url("/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"), WeComChannel.Format.MARKDOWN, client)
                .send(alert("4 pending jobs"));

        Received request = service.only();
        assertEquals("/cgi-bin/webhook/send", request.path());
        assertEquals("key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", request.rawQuery());
        assertEquals("markdown", request.json().get("msgtype").asText());
        assertTrue(request.json().at("/markdown/content").asText().startsWith("#### [CRITICAL] 4 pending jobs"));
    }

    /** WeCom refuses content over 4096 bytes of markdown or 2048 of text; a long alert is cut, whole characters only, with a marker. */
    @ParameterizedTest
    @EnumSource(WeComChannel.Format.class)
    void weComCutsLongAlertsToTheByteLimitOfTheFormat(WeComChannel.Format format) throws Exception {
        service = new FakeService(Reply.of(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
        WeComChannel channel = new WeComChannel("wecom", service.url("/cgi-bin/webhook/send?key=k-0123456789"), format, client);
        String longText = "渠道包失败 ".repeat(1000); // 16 bytes each in UTF-8, so the cut falls inside characters unless done right
        channel.send(alert("many failures", Alert.Severity.WARNING, Alert.Status.FIRING, longText));
        channel.send(alert("short", Alert.Severity.WARNING, Alert.Status.FIRING, "one line"));

        String field = format == WeComChannel.Format.MARKDOWN ? "markdown" : "text";
        int limit = format == WeComChannel.Format.MARKDOWN ? 4096 : 2048;
        assertEquals(field, service.received().get(0).json().get("msgtype").asText());
        String cut = service.received().get(0).json().at("/" + field + "/content").asText();
        int bytes = cut.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes <= limit && bytes > limit - 16, "cut to just under " + limit + " bytes, got " + bytes);
        assertTrue(cut.endsWith(AlertText.TRUNCATED), "the cut is marked");
        assertFalse(cut.contains("\uFFFD"), "no character split");
        String whole = service.received().get(1).json().at("/" + field + "/content").asText();
        assertTrue(whole.contains("one line") && !whole.contains(AlertText.TRUNCATED), whole);
    }

    @Test
    void feishuPutsTimestampInSecondsAndSignInTheBody() throws Exception {
        service = new FakeService(Reply.of(200, "{\"code\":0,\"msg\":\"success\",\"data\":{}}"));
        new FeishuChannel("lark", service.url("/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd"), FEISHU_SECRET, client)
                .send(alert("4 pending jobs"));

        Received request = service.only();
        assertEquals("/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd", request.path());
        assertNull(request.rawQuery());
        JsonNode body = request.json();
        String timestamp = body.get("timestamp").asText();
        assertEquals(Long.toString(NotifyFixtures.START_MILLIS / 1000), timestamp, "seconds, not milliseconds");
        String expectedSign = hmacBase64(utf8(timestamp + "\n" + FEISHU_SECRET), new byte[0]);
        assertEquals(expectedSign, body.get("sign").asText(), "base64(HmacSHA256(key = timestamp\\nsecret, data = empty))");
        assertEquals("text", body.get("msg_type").asText());
        assertTrue(body.at("/content/text").asText().startsWith("[CRITICAL] 4 pending jobs\n"), body.toString());
    }

    @Test
    void feishuWithoutASecretSendsNoSignature() throws Exception {
        service = new FakeService(Reply.of(200, "{\"StatusCode\":0,\"StatusMessage\":\"success\"}")); // the older reply form
        new FeishuChannel("lark", service.url("/open-apis/bot/v2/hook/5e3d587e-d78e"), null, client).send(alert("4 pending jobs"));

        JsonNode body = service.only().json();
        assertFalse(body.has("timestamp") || body.has("sign"), body.toString());
        assertEquals(List.of("msg_type", "content"), fieldNames(body));
    }

    @Test
    void slackPostsEscapedMrkdwnText() throws Exception {
        service = new FakeService(Reply.of(200, "ok"));
        new SlackChannel("slack", service.url("/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX"), client)
                .send(alert("queue <package> & friends", Alert.Severity.WARNING, Alert.Status.RESOLVED, "a > b"));

        JsonNode body = service.only().json();
        assertEquals(List.of("text"), fieldNames(body));
        assertEquals("*[WARNING, resolved] queue &lt;package&gt; &amp; friends*\na &gt; b\n_queue=package · 2024-05-01T10:00:00Z_",
                body.get("text").asText());
    }

    /** Standard Webhooks: the signature verifies for every try, each try signs its own time, and the id stays the same. */
    @Test
    void webhookSignsEveryTryTheStandardWebhooksWayUnderOneId() throws Exception {
        service = new FakeService(Reply.of(200, "")).script(Reply.of(429, "slow down").withHeader("Retry-After", "2"));
        Alert alert = alert("4 pending jobs");
        new WebhookChannel("hooks", service.url("/hooks/packline"), WEBHOOK_SECRET, client).send(alert);

        assertEquals(2, service.received().size(), "429, then the retry");
        byte[] key = Base64.getDecoder().decode(WEBHOOK_SECRET.substring("whsec_".length()));
        for (Received request : service.received()) {
            String id = request.header("webhook-id");
            String timestamp = request.header("webhook-timestamp");
            assertEquals("v1," + hmacBase64(key, utf8(id + "." + timestamp + "." + request.body())), request.header("webhook-signature"));
        }
        Received first = service.received().get(0);
        Received second = service.received().get(1);
        assertEquals(first.header("webhook-id"), second.header("webhook-id"), "a retry is the same message");
        assertTrue(first.header("webhook-id").matches("msg_[A-Za-z0-9_-]+"), first.header("webhook-id"));
        assertEquals(Long.toString(NotifyFixtures.START_MILLIS / 1000), first.header("webhook-timestamp"));
        assertEquals(Long.toString(NotifyFixtures.START_MILLIS / 1000 + 2), second.header("webhook-timestamp"),
                "the retry came 2 s later (Retry-After) and signs its own time");

        JsonNode body = first.json();
        assertEquals("alert.firing", body.get("type").asText());
        assertEquals("2024-05-01T10:00:00Z", body.get("timestamp").asText());
        JsonNode data = body.get("data");
        assertEquals(List.of("key", "severity", "status", "title", "text", "labels", "at"), fieldNames(data));
        assertEquals(alert.key(), data.get("key").asText());
        assertEquals("CRITICAL", data.get("severity").asText());
        assertEquals("FIRING", data.get("status").asText());
        assertEquals(alert.title(), data.get("title").asText());
        assertEquals(alert.text(), data.get("text").asText());
        assertEquals("{\"queue\":\"package\",\"version\":\"3\"}", data.get("labels").toString());
        assertEquals("2024-05-01T10:00:00Z", data.get("at").asText());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        Iterator<String> names = node.fieldNames();
        names.forEachRemaining(out::add);
        return out;
    }
}

package dev.packline.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A Feishu (Lark) custom bot ({@code https://open.feishu.cn/open-apis/bot/v2/hook/...}), sending
 * {@code msg_type} text. With signature verification on, the body carries {@code timestamp} in
 * seconds and {@code sign} = base64(HmacSHA256(key = timestamp + "\n" + secret, data = no bytes)):
 * unlike DingTalk, the secret is in the key and the data is empty. Feishu refuses timestamps more
 * than an hour off. Refusals come as {@code code} != 0 in the reply ({@code StatusCode} in its
 * older replies).
 */
public final class FeishuChannel implements AlertChannel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Endpoint endpoint;
    private final String secret;
    private final WebhookClient client;

    /** @param secret the bot's signing secret, or null when it is secured by keyword or IP instead */
    public FeishuChannel(String name, URI url, String secret, WebhookClient client) {
        this.endpoint = new Endpoint(name, "feishu", url, secret);
        this.secret = secret;
        this.client = client;
    }

    @Override
    public String name() {
        return endpoint.channel();
    }

    @Override
    public void send(Alert alert) throws NotificationException {
        String text = AlertText.truncate(AlertText.plain(alert), AlertText.DEFAULT_MAX_BYTES);
        WebhookClient.Response reply = client.post(endpoint, () -> new WebhookClient.Outgoing(endpoint.url(), Map.of(), body(text)));
        endpoint.requireZeroCode(reply, "code", "msg", "StatusCode", "StatusMessage");
    }

    /** Built for each try: the signature covers the time of sending. */
    private String body(String text) {
        ObjectNode root = JSON.createObjectNode();
        if (secret != null) {
            long timestamp = client.clock().instant().getEpochSecond();
            byte[] key = (timestamp + "\n" + secret).getBytes(StandardCharsets.UTF_8);
            root.put("timestamp", Long.toString(timestamp));
            root.put("sign", Base64.getEncoder().encodeToString(HmacSha256.of(key, new byte[0])));
        }
        root.put("msg_type", "text");
        root.putObject("content").put("text", text);
        return root.toString();
    }
}

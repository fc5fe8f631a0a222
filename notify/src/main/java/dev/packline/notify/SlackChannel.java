package dev.packline.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.util.Map;

/**
 * A Slack incoming webhook ({@code https://hooks.slack.com/services/T.../B.../...}): the URL is
 * the secret. Posts {@code text} in Slack's mrkdwn, with {@code & < >} escaped as Slack requires.
 * Slack answers 200 "ok", or a 4xx with a reason such as {@code invalid_payload},
 * {@code no_service} or {@code channel_is_archived}; it allows about one message a second.
 */
public final class SlackChannel implements AlertChannel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Endpoint endpoint;
    private final WebhookClient client;

    public SlackChannel(String name, URI url, WebhookClient client) {
        this.endpoint = new Endpoint(name, "slack", url, null);
        this.client = client;
    }

    @Override
    public String name() {
        return endpoint.channel();
    }

    @Override
    public void send(Alert alert) throws NotificationException {
        StringBuilder text = new StringBuilder("*").append(escape(AlertText.heading(alert))).append("*\n");
        if (alert.text() != null && !alert.text().isBlank()) {
            text.append(escape(alert.text().strip())).append('\n');
        }
        text.append('_').append(escape(AlertText.footer(alert))).append('_');
        ObjectNode root = JSON.createObjectNode().put("text", AlertText.truncate(text.toString(), AlertText.DEFAULT_MAX_BYTES));
        String body = root.toString();
        client.post(endpoint, () -> new WebhookClient.Outgoing(endpoint.url(), Map.of(), body));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

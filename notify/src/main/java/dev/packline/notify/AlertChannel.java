package dev.packline.notify;

/**
 * Where alerts go: the log now; DingTalk, WeCom, Feishu, Slack and webhooks implement the same
 * interface. A channel throws when it could not deliver, so the caller can keep the alert and retry.
 */
public interface AlertChannel {
    String name();

    void send(Alert alert) throws Exception;
}

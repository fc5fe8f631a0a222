/**
 * Notification channels: each an {@link dev.packline.notify.AlertChannel} that delivers alerts
 * and request summaries to a chat robot (DingTalk, WeCom, Feishu), a Slack incoming webhook or any
 * HTTP endpoint speaking Standard Webhooks.
 *
 * <p>The parts: {@link dev.packline.notify.NotificationChannels} builds the configured
 * channels from {@link dev.packline.notify.ChannelSpec}s (validated once, every problem in
 * one error) and owns their background flush; {@link dev.packline.notify.WebhookClient} is the
 * one HTTP client they share (timeouts, retries, backoff); {@link dev.packline.notify.Endpoint}
 * names a channel in every error and masks its secrets; {@link dev.packline.notify.RateLimitedChannel}
 * keeps each channel under its robot's rate and merges the overflow into digests;
 * {@link dev.packline.notify.FanOutChannel} sends one alert to several channels.
 */
package dev.packline.notify;

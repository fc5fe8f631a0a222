package dev.packline.notify;

import dev.packline.settings.SettingsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configured notification channels by name, built once at start from a {@code notifications:}
 * section ({@link ChannelSpec} per name) that {@link ChannelSettings} validated. Robot and webhook
 * channels are rate-limited ({@link TokenBucket#ROBOT_RATE}) and share one {@link WebhookClient}.
 *
 * <p>Start order: {@link #start()} starts the flusher that sends held digests. {@link #close()}
 * stops it, then gives every channel still holding alerts one last flush within a bounded time,
 * then closes the HTTP client it created, which those flushes need.
 */
public final class NotificationChannels implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NotificationChannels.class);

    private static final Duration FLUSH_INTERVAL = Duration.ofSeconds(5);
    private static final long CLOSE_BUDGET_SECONDS = 5;

    private final Map<String, AlertChannel> channels;
    private final List<RateLimitedChannel> limited;
    private final WebhookClient client;
    private final boolean ownsClient;
    private final HeldAlertFlusher flusher;
    private final AlertChannel all;

    private NotificationChannels(Map<String, AlertChannel> channels, List<RoutedChannels.Route> routes, List<RateLimitedChannel> limited,
                                 WebhookClient client, boolean ownsClient) {
        this.channels = Collections.unmodifiableMap(channels);
        this.limited = List.copyOf(limited);
        this.client = client;
        this.ownsClient = ownsClient;
        this.flusher = new HeldAlertFlusher(limited, FLUSH_INTERVAL);
        this.all = new RoutedChannels("notifications", routes);
    }

    /**
     * The channels of a {@code notifications:} section, on a new HTTP client with the default
     * timeouts and retries. No channels configured means the log alone.
     *
     * @param env where {@code env:NAME} values are looked up (usually {@code System.getenv()})
     * @throws SettingsException listing every problem found
     */
    public static NotificationChannels fromSettings(Map<String, ChannelSpec> specs, Map<String, String> env) {
        WebhookClient client = new WebhookClient(WebhookClient.Params.DEFAULT, Clock.systemUTC(), Sleeper.REAL);
        try {
            return build(specs, env, client, true);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** As above on a given client (its clock and sleeper drive signing, rate limits and retries); the caller closes the client. */
    public static NotificationChannels fromSettings(Map<String, ChannelSpec> specs, Map<String, String> env, WebhookClient client) {
        return build(specs, env, client, false);
    }

    private static NotificationChannels build(Map<String, ChannelSpec> specs, Map<String, String> env, WebhookClient client, boolean ownsClient) {
        List<ChannelSettings.Resolved> resolved = ChannelSettings.resolve(specs, env);
        Map<String, AlertChannel> channels = new LinkedHashMap<>();
        List<RoutedChannels.Route> routes = new ArrayList<>();
        List<RateLimitedChannel> limited = new ArrayList<>();
        List<String> described = new ArrayList<>();
        for (ChannelSettings.Resolved r : resolved) {
            AlertChannel channel = switch (r.kind()) {
                case "dingtalk" -> new DingTalkChannel(r.name(), r.url(), r.secret(), DingTalkChannel.Format.MARKDOWN, client);
                case "wecom" -> new WeComChannel(r.name(), r.url(), WeComChannel.Format.MARKDOWN, client);
                case "feishu" -> new FeishuChannel(r.name(), r.url(), r.secret(), client);
                case "slack" -> new SlackChannel(r.name(), r.url(), client);
                case "webhook" -> new WebhookChannel(r.name(), r.url(), r.secret(), client);
                default -> new LogAlertChannel();
            };
            if (!r.kind().equals("log")) {
                RateLimitedChannel rateLimited = new RateLimitedChannel(channel, new TokenBucket(TokenBucket.ROBOT_RATE, client.clock()));
                limited.add(rateLimited);
                channel = rateLimited;
            }
            channels.put(r.name(), channel);
            routes.add(new RoutedChannels.Route(r.name(), channel, r.minLevel(), r.publishers()));
            described.add(r.name() + " (" + r.kind() + (r.url() == null ? "" : " at " + r.url().getHost()) + (r.secret() == null ? "" : ", signed")
                    + (r.minLevel() == Alert.Severity.INFO ? "" : ", from " + r.minLevel().name().toLowerCase(java.util.Locale.ROOT))
                    + (r.publishers().isEmpty() ? "" : ", for " + String.join(" ", new java.util.TreeSet<>(r.publishers()))) + ")");
        }
        if (channels.isEmpty()) {
            channels.put("log", new LogAlertChannel());
            routes.add(new RoutedChannels.Route("log", channels.get("log"), Alert.Severity.INFO, Set.of()));
            described.add("log (no notifications configured)");
        }
        log.info("notification channels: {}", String.join(", ", described));
        return new NotificationChannels(channels, routes, limited, client, ownsClient);
    }

    /** Name to channel, in configuration order. */
    public Map<String, AlertChannel> channels() {
        return channels;
    }

    public AlertChannel channel(String name) {
        AlertChannel channel = channels.get(name);
        if (channel == null) {
            throw new IllegalArgumentException("no notification channel '" + name + "'; configured: " + String.join(", ", channels.keySet()));
        }
        return channel;
    }

    /**
     * Every configured channel as one, routing each alert by its labels and the channels' levels and
     * publishers ({@link RoutedChannels}): platform alerts to the channels for everyone, a request's
     * summary to the channels the request named.
     */
    public AlertChannel all() {
        return all;
    }

    public NotificationChannels start() {
        flusher.start();
        return this;
    }

    /** One round of the flusher, now: each channel holding alerts sends their digest if its bucket allows. */
    public void flushHeld() throws Exception {
        flusher.runOnce();
    }

    /**
     * Stops the flusher, then spends at most {@value #CLOSE_BUDGET_SECONDS} s sending what the rate
     * limits still hold (waiting for a token where needed; anything left is logged as lost), then
     * closes the HTTP client if this object made it. Close it after everything that sends alerts.
     */
    @Override
    public void close() {
        flusher.close();
        if (limited.stream().anyMatch(c -> c.heldCount() > 0)) {
            Thread last = Thread.ofVirtual().name("notification-final-flush").start(this::flushBeforeClose);
            try {
                if (!last.join(Duration.ofSeconds(CLOSE_BUDGET_SECONDS))) {
                    last.interrupt(); // the HTTP call in progress gives up
                    last.join(Duration.ofSeconds(1));
                }
            } catch (InterruptedException e) {
                last.interrupt();
                Thread.currentThread().interrupt();
            }
        }
        for (RateLimitedChannel channel : limited) {
            if (channel.heldCount() > 0) {
                log.warn("notification channel '{}': {} alerts held back by its rate limit are lost at shutdown", channel.name(), channel.heldCount());
            }
        }
        if (ownsClient) {
            client.close();
        }
    }

    private void flushBeforeClose() {
        for (RateLimitedChannel channel : limited) {
            if (channel.heldCount() == 0) {
                continue;
            }
            try {
                client.sleeper().sleep(channel.timeUntilToken()); // at most one refill interval
                channel.flushHeld();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) { // masked by the channel already
                log.warn("notification channel '{}' could not send its held alerts at shutdown: {}", channel.name(), e.getMessage());
            }
        }
    }
}

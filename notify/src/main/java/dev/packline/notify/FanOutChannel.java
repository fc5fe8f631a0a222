package dev.packline.notify;


import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One alert to several channels, in order. A failing channel does not keep the alert from the
 * others; when any failed, {@link FanOutException} names every failure after all were tried. The
 * caller keeps the alert and may send it again, so channels that took it the first time see it
 * twice (webhook receivers can drop it by its {@code webhook-id}).
 */
public final class FanOutChannel implements AlertChannel {
    private final String name;
    private final List<AlertChannel> channels;

    public FanOutChannel(String name, List<AlertChannel> channels) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("fan-out '" + name + "' needs at least one channel");
        }
        this.name = name;
        this.channels = List.copyOf(channels);
    }

    @Override
    public String name() {
        return name;
    }

    public List<AlertChannel> channels() {
        return channels;
    }

    @Override
    public void send(Alert alert) throws FanOutException {
        Map<String, Exception> failures = new LinkedHashMap<>();
        for (AlertChannel channel : channels) {
            try {
                channel.send(alert);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // recorded; the channels left fail fast on the flag and are recorded too
                failures.put(channel.name(), e);
            } catch (Exception e) {
                failures.put(channel.name(), e);
            }
        }
        if (!failures.isEmpty()) {
            throw new FanOutException(name, alert, channels.size(), failures);
        }
    }

    /** Some channels did not take the alert; {@link #failures()} says which and why, each also a suppressed exception. */
    public static final class FanOutException extends Exception {
        private final Map<String, Exception> failures;

        FanOutException(String fanOut, Alert alert, int tried, Map<String, Exception> failures) {
            super("alert '" + alert.key() + "' not delivered by " + failures.size() + " of " + tried + " channels of '" + fanOut + "': "
                    + failures.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().getMessage()).collect(Collectors.joining("; ")));
            this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
            failures.values().forEach(this::addSuppressed);
        }

        /** Channel name to what it threw, in the order the channels were tried. */
        public Map<String, Exception> failures() {
            return failures;
        }
    }
}

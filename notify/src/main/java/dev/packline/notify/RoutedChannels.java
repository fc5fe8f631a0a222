package dev.packline.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Where each alert goes. A platform alert (backlog, dead letters, crash loops, store failures: no
 * {@value #PUBLISHER} label) goes to every channel not limited to publishers. A request summary
 * (labels {@value #PUBLISHER} and {@value #NOTIFY}, the channels the request named, comma-separated)
 * goes to those channels; when the request named none, to the channels of its publisher, or when
 * there are none, to the channels not limited to publishers. A channel limited to other publishers
 * never gets it. Every channel drops alerts below its minimum level. When every channel belongs to
 * publishers, platform alerts go to the log.
 */
final class RoutedChannels implements AlertChannel {
    private static final Logger log = LoggerFactory.getLogger(RoutedChannels.class);
    static final String PUBLISHER = "publisher";
    static final String NOTIFY = "notify";
    private static final AlertChannel FALLBACK = new LogAlertChannel();

    record Route(String name, AlertChannel channel, Alert.Severity minLevel, Set<String> publishers) {
        boolean allows(String publisher) {
            return publishers.isEmpty() || publishers.contains(publisher);
        }
    }

    private final String name;
    private final List<Route> routes;

    RoutedChannels(String name, List<Route> routes) {
        this.name = name;
        this.routes = List.copyOf(routes);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(Alert alert) throws Exception {
        List<AlertChannel> targets = new ArrayList<>();
        for (Route route : targets(alert)) {
            if (alert.severity().compareTo(route.minLevel()) >= 0) {
                targets.add(route.channel());
            }
        }
        if (targets.isEmpty()) {
            if (alert.labels().get(PUBLISHER) == null && routes.stream().noneMatch(r -> r.publishers().isEmpty())) {
                // every channel belongs to publishers: the platform's own alerts still reach the log
                FALLBACK.send(alert);
                return;
            }
            log.debug("alert {} ({}) goes to no channel: none routed takes it at that level", alert.key(), alert.severity());
            return;
        }
        if (targets.size() == 1) {
            targets.get(0).send(alert);
        } else {
            new FanOutChannel(name, targets).send(alert);
        }
    }

    /** The channels an alert is for, before levels. */
    List<Route> targets(Alert alert) {
        String publisher = alert.labels().get(PUBLISHER);
        List<Route> unrestricted = routes.stream().filter(r -> r.publishers().isEmpty()).toList();
        if (publisher == null) {
            return unrestricted;
        }
        String notify = alert.labels().getOrDefault(NOTIFY, "");
        if (!notify.isBlank()) {
            List<String> named = Arrays.stream(notify.split(",")).map(String::strip).toList();
            return routes.stream().filter(r -> named.contains(r.name()) && r.allows(publisher)).toList();
        }
        List<Route> own = routes.stream().filter(r -> r.publishers().contains(publisher)).toList();
        return own.isEmpty() ? unrestricted : own;
    }
}

package dev.packline.notify;

import net.logstash.logback.argument.StructuredArguments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The channel that needs no configuration: every alert as one log event (JSON in production), at WARN, or ERROR when critical. */
public final class LogAlertChannel implements AlertChannel {
    private static final Logger log = LoggerFactory.getLogger("packline.alerts");

    @Override
    public String name() {
        return "log";
    }

    @Override
    public void send(Alert alert) {
        String message = "[{}] {}: {}\n{}";
        Object[] args = {alert.status(), alert.severity(), alert.title(), alert.text(),
                StructuredArguments.keyValue("alert", alert.key()), StructuredArguments.entries(alert.labels())};
        if (alert.severity() == Alert.Severity.CRITICAL && alert.status() == Alert.Status.FIRING) {
            log.error(message, args);
        } else {
            log.warn(message, args);
        }
    }
}

package dev.packline.notify;

import java.time.Instant;
import java.util.Map;

/**
 * Something on-call or the publisher's upstream must hear about. {@code key} identifies the alarm
 * (e.g. {@code backlog-pending:package:3}) so channels can thread a firing alert with its resolution.
 */
public record Alert(String key, Severity severity, Status status, String title, String text, Map<String, String> labels,
                    Instant at) {

    public enum Severity { INFO, WARNING, CRITICAL }

    public enum Status { FIRING, RESOLVED }
}

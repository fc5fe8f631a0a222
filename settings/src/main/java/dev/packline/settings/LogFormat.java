package dev.packline.settings;

import java.util.Locale;

/** How a process writes its log lines ({@code logging.format}): JSON lines, or plain lines for a terminal. */
public enum LogFormat {
    JSON, CONSOLE;

    /** {@code logging.format} of {@code s} (default json); anything else is a problem noted in {@code s}, and json is used. */
    public static LogFormat read(Settings s) {
        String text = s.string("logging.format", "json");
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            s.problem("logging.format: expected json or console, got '" + text + "'");
            return JSON;
        }
    }
}

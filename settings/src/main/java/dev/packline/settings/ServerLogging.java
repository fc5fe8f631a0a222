package dev.packline.settings;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The logging set-up every long-running Helidon server process makes before its first line
 * ({@code bin/packline api}, {@code update-api}): the format its logback.xml picks, and
 * java.util.logging (Helidon's) sent through SLF4J, so stdout carries JSON lines only.
 * The app also needs Helidon's JUL logging provider at run time (helidon-logging-jul): without one,
 * Helidon prints a plain line about its missing logging implementation.
 */
public final class ServerLogging {
    private ServerLogging() {
    }

    /** @param format the app's {@code logging.format} (json or console), read by its logback.xml */
    public static void install(String format) {
        System.setProperty("packline.log.format", format);
        // Helidon would otherwise read a logging.properties it finds and replace the bridge below
        System.setProperty("io.helidon.logging.config.disabled", "true");
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}

package dev.packline.packaging.offline;

import java.util.Arrays;
import java.util.Optional;

/** When the app downloads an offline package. */
public enum LoadingStrategy {
    /** When the app starts. */
    STARTUP("startup"),
    /** When its remote configuration changes. */
    CONFIG_CHANGE("config-change"),
    /** When the scene (page) that needs it opens. */
    SCENE("scene"),
    /** When the app is idle. */
    IDLE("idle"),
    /** Some time after start. */
    DELAYED("delayed"),
    /** Before the page may show: the page waits for it. */
    BLOCKING("blocking"),
    /** The client decides from network, battery and usage. */
    SMART("smart");

    private final String jsonName;

    LoadingStrategy(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static Optional<LoadingStrategy> byJsonName(String name) {
        return Arrays.stream(values()).filter(strategy -> strategy.jsonName.equals(name)).findFirst();
    }
}

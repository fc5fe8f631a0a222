package dev.packline.settings;

/**
 * What {@link ServerLauncher} needs of a long-running server's configuration record: its Redis URL
 * (blank: start an embedded one), its log format, and copies with the command line's overrides.
 * The apps' config records implement it with the accessors they already have.
 */
public interface ServerSettings<C extends ServerSettings<C>> {
    /** The Redis URL; null or blank when none was configured. */
    String redisUrl();

    /** The {@code logging.format}. */
    LogFormat logFormat();

    C withRedisUrl(String url);

    C withPort(int port);
}

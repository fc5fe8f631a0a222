package dev.packline.settings;

/**
 * The command line every long-running server takes ({@code bin/packline api}, {@code update-api}):
 * {@code [--config FILE] [--redis URL] [--port N] [--help]}, read strictly.
 *
 * @param redisUrl null when not given
 * @param port     null when not given
 * @param help     true when help was asked for: print the usage and exit 0
 */
public record ServerArgs(String config, String redisUrl, Integer port, boolean help) {

    /** The arguments, or an {@link IllegalArgumentException} saying what is wrong (exit 2 with the usage). */
    public static ServerArgs parse(String[] args, String defaultConfig) {
        String config = defaultConfig;
        String redis = null;
        Integer port = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("-h") || option.equals("--help")) {
                return new ServerArgs(config, redis, port, true);
            }
            if (!option.equals("--config") && !option.equals("--redis") && !option.equals("--port")) {
                throw new IllegalArgumentException("unknown argument '" + option + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " lacks its value");
            }
            String value = args[++i];
            switch (option) {
                case "--config" -> config = value;
                case "--redis" -> redis = value;
                default -> {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port takes a number, got '" + value + "'");
                    }
                }
            }
        }
        return new ServerArgs(config, redis, port, false);
    }
}

package dev.packline.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values out of a YAML document, keeping a list of every problem instead of stopping at
 * the first: wrong types, values out of range, and (at {@link #finish()}) keys nobody read, which
 * are almost always typos. Environment variables override file values: {@code PACKLINE_REDIS_URL}
 * overrides {@code redis.url}, {@code PACKLINE_WORKER_MAX_JOBS_PER_WORKER} overrides
 * {@code worker.maxJobsPerWorker} (dots and camel-case humps become underscores).
 *
 * <pre>
 * Settings s = Settings.load(path, System.getenv());
 * var config = new WorkerConfig(s.string("redis.url", null), s.duration("worker.shutdownTimeout", ofSeconds(20)), ...);
 * s.finish(); // throws SettingsException listing every problem
 * </pre>
 */
public final class Settings {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB|KB|MB|GB|TB)?");
    public static final String ENV_PREFIX = "PACKLINE_";

    private final String source;
    private final JsonNode root;
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> read = new LinkedHashSet<>();

    public Settings(String source, JsonNode root, Map<String, String> env) {
        this.source = source;
        this.root = root == null || root.isNull() || root.isMissingNode() ? JsonNodeFactory.instance.objectNode() : root;
        this.env = env;
        if (!this.root.isObject()) {
            problems.add("the document must be a mapping of keys to values, found " + this.root.getNodeType().name().toLowerCase(Locale.ROOT));
        }
    }

    /** Loads a YAML file; a missing or unreadable file, or invalid YAML, is reported at once. */
    public static Settings load(Path file, Map<String, String> env) {
        try {
            return new Settings(file.toString(), YAML.readTree(Files.readString(file)), env);
        } catch (NoSuchFileException e) {
            throw new SettingsException(file.toString(), List.of("the file does not exist"));
        } catch (IOException e) {
            throw new SettingsException(file.toString(), List.of("not readable as YAML: " + e.getMessage().lines().findFirst().orElse("")));
        }
    }

    /**
     * A file another configuration file names ({@code pipeline.shared: pipeline.yml}): a relative
     * path is taken beside the naming file, so a directory of configuration moves as a whole.
     */
    public static Path beside(Path namingFile, String path) {
        Path named = Path.of(path);
        Path dir = namingFile == null ? null : namingFile.toAbsolutePath().getParent();
        return named.isAbsolute() || dir == null ? named : dir.resolve(named);
    }

    /** Settings from YAML text (tests, embedded defaults). */
    public static Settings parse(String name, String yaml, Map<String, String> env) {
        try {
            return new Settings(name, YAML.readTree(yaml), env);
        } catch (IOException e) {
            throw new SettingsException(name, List.of("not readable as YAML: " + e.getMessage().lines().findFirst().orElse("")));
        }
    }

    public String string(String path, String fallback) {
        return value(path, fallback, "a string", JsonNode::isValueNode, raw -> raw);
    }

    public int integer(String path, int fallback, int min, int max) {
        Integer value = value(path, fallback, "a whole number", JsonNode::isIntegralNumber, Integer::parseInt);
        if (value != null && (value < min || value > max)) {
            problems.add(path + ": must be between " + min + " and " + max + ", got " + value);
            return fallback;
        }
        return value == null ? fallback : value;
    }

    public boolean bool(String path, boolean fallback) {
        Boolean value = value(path, fallback, "true or false", JsonNode::isBoolean, raw -> switch (raw.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("not true or false");
        });
        return value == null ? fallback : value;
    }

    /** Durations are written {@code 250ms}, {@code 30s}, {@code 10m}, {@code 2h} or {@code 7d}. */
    public Duration duration(String path, Duration fallback) {
        return value(path, fallback, "a duration such as 30s, 10m or 250ms", JsonNode::isTextual, Settings::parseDuration);
    }

    /** A duration of at least {@code min}; a shorter one is a problem naming the path. */
    public Duration duration(String path, Duration fallback, Duration min) {
        Duration value = duration(path, fallback);
        if (value.compareTo(min) < 0) {
            problems.add(path + ": at least " + min.toMillis() + "ms, got " + value.toMillis() + "ms");
            return fallback;
        }
        return value;
    }

    /** Sizes are bytes, or a number with B, KiB, MiB, GiB, TiB (or KB, MB, GB, TB, also binary). */
    public long bytes(String path, long fallback) {
        Long value = value(path, fallback, "a size such as 512MiB or 20GiB", n -> n.isIntegralNumber() || n.isTextual(), Settings::parseSize);
        return value == null ? fallback : value;
    }

    public List<String> strings(String path) {
        JsonNode node = node(path);
        String override = env.get(envName(path));
        read.add(path);
        if (override != null) {
            return override.isBlank() ? List.of() : List.of(override.split("\\s*,\\s*"));
        }
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            problems.add(path + ": expected a list, got " + describe(node));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isValueNode()) {
                problems.add(path + ": every item must be a plain value, got " + describe(item));
            } else {
                out.add(item.asText());
            }
        }
        return out;
    }

    /** The keys under a mapping whose keys are names (queues, stores...), in file order. */
    public List<String> keys(String path) {
        JsonNode node = node(path);
        if (node == null || node.isNull()) {
            read.add(path);
            return List.of();
        }
        if (!node.isObject()) {
            read.add(path);
            problems.add(path + ": expected a mapping, got " + describe(node));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        if (out.isEmpty()) {
            read.add(path);
        }
        return out;
    }

    public boolean has(String path) {
        JsonNode node = node(path);
        return (node != null && !node.isNull()) || env.containsKey(envName(path));
    }

    /** Records a problem found while checking values against each other. */
    public void problem(String text) {
        problems.add(text);
    }

    /** Throws {@link SettingsException} listing every problem, unknown keys included. */
    public void finish() {
        List<String> unknown = new ArrayList<>();
        collectUnread(root, "", unknown);
        List<String> all = new ArrayList<>(problems);
        unknown.forEach(path -> all.add(path + ": unknown key (misspelt? it is not a setting)"));
        if (!all.isEmpty()) {
            throw new SettingsException(source, all);
        }
    }

    /**
     * Throws {@link SettingsException} listing every problem with the values read, but not keys left
     * unread: for a reader that takes a few sections of a file another program owns and validates
     * (the API reads what a worker's configuration accepts from the worker's file).
     */
    public void finishReadValues() {
        if (!problems.isEmpty()) {
            throw new SettingsException(source, problems);
        }
    }

    public String source() {
        return source;
    }

    /** The environment variable that overrides a path: redis.url -> PACKLINE_REDIS_URL. */
    public static String envName(String path) {
        return ENV_PREFIX + path.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private <T> T value(String path, T fallback, String expected, java.util.function.Predicate<JsonNode> accepts, Function<String, T> parse) {
        read.add(path);
        String override = env.get(envName(path));
        String raw;
        String origin;
        if (override != null) {
            raw = override;
            origin = " (from " + envName(path) + ")";
        } else {
            JsonNode node = node(path);
            if (node == null || node.isNull()) {
                return fallback;
            }
            if (!accepts.test(node)) {
                problems.add(path + ": expected " + expected + ", got " + describe(node));
                return fallback;
            }
            raw = node.asText();
            origin = "";
        }
        try {
            return parse.apply(raw.trim());
        } catch (RuntimeException e) {
            problems.add(path + origin + ": expected " + expected + ", got '" + raw + "'");
            return fallback;
        }
    }

    private JsonNode node(String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(part);
        }
        return node;
    }

    private void collectUnread(JsonNode node, String prefix, List<String> unknown) {
        if (!prefix.isEmpty() && read.contains(prefix)) {
            return;
        }
        if (node.isObject() && (prefix.isEmpty() || node.size() > 0)) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                collectUnread(field.getValue(), prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), unknown);
            }
        } else if (!prefix.isEmpty()) {
            unknown.add(prefix);
        }
    }

    private static String describe(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        return "'" + node.asText() + "'";
    }

    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: " + text);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        long factor = switch (unit) {
            case "B" -> 1L;
            case "KiB", "KB" -> 1L << 10;
            case "MiB", "MB" -> 1L << 20;
            case "GiB", "GB" -> 1L << 30;
            default -> 1L << 40;
        };
        return Math.multiplyExact(n, factor);
    }
}

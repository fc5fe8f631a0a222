package dev.packline.packaging;

import static dev.packline.packaging.PackagingException.Problem.INVALID_ARGUMENT;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Output file names from a template with {package} {versionName} {versionCode} {channel} {label},
 * checked before any APK is written: every placeholder known, {channel} present, each name a
 * plain file name, and no two outputs colliding (also not case-insensitively, for macOS and
 * Windows checkouts of the output directory), nor with the mother.
 */
public final class OutputNames {
    public static final String DEFAULT_TEMPLATE = "{package}-{versionName}-{channel}.apk";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final List<String> KNOWN = List.of("package", "versionName", "versionCode", "channel", "label");

    private OutputNames() {
    }

    /** The output path of every channel, in the order given. */
    public static Map<Channel, Path> plan(String template, ManifestFacts manifest, List<Channel> channels, Path outputDirectory,
            Path mother) throws PackagingException {
        checkTemplate(template);
        Map<Channel, Path> plan = new LinkedHashMap<>();
        Map<String, String> seenNames = new HashMap<>();
        Map<String, String> seenFiles = new HashMap<>();
        for (Channel channel : channels) {
            String previous = seenNames.putIfAbsent(channel.name(), channel.name());
            if (previous != null) {
                throw invalid("channel '" + channel.name() + "' is listed twice");
            }
            String fileName = fileName(template, manifest, channel);
            String other = seenFiles.putIfAbsent(fileName.toLowerCase(Locale.ROOT), channel.name());
            if (other != null) {
                throw invalid("output names collide: channels '" + other + "' and '" + channel.name()
                        + "' both map to " + fileName + " (names are compared ignoring case)");
            }
            Path output = outputDirectory.resolve(fileName);
            if (output.toAbsolutePath().normalize().equals(mother.toAbsolutePath().normalize())) {
                throw invalid("output for channel '" + channel.name() + "' would overwrite the mother " + mother);
            }
            plan.put(channel, output);
        }
        return plan;
    }

    /** Checks a name template alone (the API refuses a bad one before anything is enqueued). */
    public static void checkTemplate(String template) throws PackagingException {
        if (template == null || template.isBlank()) {
            throw invalid("name template is empty");
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        boolean hasChannel = false;
        while (matcher.find()) {
            if (!KNOWN.contains(matcher.group(1))) {
                throw invalid("name template has unknown placeholder {" + matcher.group(1) + "}; known: {package} "
                        + "{versionName} {versionCode} {channel} {label}");
            }
            hasChannel |= matcher.group(1).equals("channel");
        }
        if (!hasChannel) {
            throw invalid("name template '" + template + "' has no {channel}, so every channel would get the same file");
        }
        if (template.indexOf('/') >= 0 || template.indexOf('\\') >= 0) {
            throw invalid("name template '" + template + "' has a path separator; use --out for the directory");
        }
    }

    static String fileName(String template, ManifestFacts manifest, Channel channel) throws PackagingException {
        Map<String, String> values = Map.of("package", manifest.packageName(), "versionName", manifest.versionName(),
                "versionCode", Long.toString(manifest.versionCode()), "channel", channel.name(), "label", manifest.label());
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder name = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(name, Matcher.quoteReplacement(safe(values.get(matcher.group(1)))));
        }
        matcher.appendTail(name);
        String result = name.toString();
        if (result.equals(".") || result.equals("..") || result.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw invalid("name template gives an unusable file name for channel '" + channel.name() + "': " + result);
        }
        return result;
    }

    /** Manifest values may hold anything; keep them from adding directories or control characters. */
    private static String safe(String value) {
        return value.replaceAll("[/\\\\\\p{Cntrl}]", "_");
    }

    private static PackagingException invalid(String message) {
        return new PackagingException(INVALID_ARGUMENT, message);
    }
}

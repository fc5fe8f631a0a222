package dev.packline.notify;

import dev.packline.settings.SettingsException;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@code notifications:} section once, at start, and reads its {@code env:NAME} values:
 * every problem of every channel goes into one {@link SettingsException}, each with its path, and
 * no problem quotes a URL or a secret (they are credentials).
 */
final class ChannelSettings {
    static final List<String> KINDS = List.of("log", "dingtalk", "wecom", "feishu", "slack", "webhook");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    /** Also what keeps the masking of secrets in messages meaningful ({@link Redactor}). */
    private static final int MIN_SECRET_CHARS = 8;

    private ChannelSettings() {
    }

    /** The specs checked and resolved, in their order; throws with every problem found. */
    static List<Resolved> resolve(Map<String, ChannelSpec> specs, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        List<Resolved> resolved = new ArrayList<>();
        for (Map.Entry<String, ChannelSpec> entry : specs.entrySet()) {
            Resolved r = validate(entry.getKey(), entry.getValue(), env, problems);
            if (r != null) {
                resolved.add(r);
            }
        }
        if (!problems.isEmpty()) {
            throw new SettingsException("notifications", problems);
        }
        return resolved;
    }

    /** A spec checked, its env: values read. Prints without its URL and secret. */
    record Resolved(String name, String kind, URI url, String secret, Alert.Severity minLevel, Set<String> publishers) {
        @Override
        public String toString() {
            return "Resolved[" + name + ", " + kind + "]";
        }
    }

    /** The spec resolved, or null when it has problems (added to the list). */
    private static Resolved validate(String name, ChannelSpec spec, Map<String, String> env, List<String> problems) {
        String where = "notifications." + name;
        int before = problems.size();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add(where + ": a channel name is letters, digits, '-', '_' and '.', starting with a letter or digit");
        }
        if (spec == null) {
            problems.add(where + ": empty; give at least a kind (one of " + String.join(", ", KINDS) + ")");
            return null;
        }
        String kind = spec.kind() == null ? "" : spec.kind().strip().toLowerCase(Locale.ROOT);
        if (kind.isEmpty()) {
            problems.add(where + ".kind: missing; one of " + String.join(", ", KINDS));
        } else if (!KINDS.contains(kind)) {
            problems.add(where + ".kind: '" + spec.kind() + "' is not a channel kind; one of " + String.join(", ", KINDS));
        }
        boolean urlGiven = given(spec.url());
        boolean secretGiven = given(spec.secret());
        String url = resolve(where + ".url", spec.url(), env, problems);
        String secret = resolve(where + ".secret", spec.secret(), env, problems);
        URI uri = null;
        switch (kind) {
            case "", "log" -> {
                if (kind.equals("log") && urlGiven) {
                    problems.add(where + ".url: the log channel takes no url");
                }
                if (kind.equals("log") && secretGiven) {
                    problems.add(where + ".secret: the log channel takes no secret");
                }
            }
            default -> {
                if (!urlGiven) {
                    problems.add(where + ".url: missing; the " + kind + " webhook URL (best as env:NAME, since it is a credential)");
                }
                uri = url == null ? null : parseUrl(where + ".url", url, problems);
            }
        }
        switch (kind) {
            case "dingtalk" -> {
                requireQueryParameter(where + ".url", uri, "access_token", problems);
                checkLength(where + ".secret", secret, problems);
            }
            case "wecom" -> {
                requireQueryParameter(where + ".url", uri, "key", problems);
                if (secretGiven) {
                    problems.add(where + ".secret: WeCom robots are not signed; remove it (the key in the url is the credential)");
                }
            }
            case "feishu" -> checkLength(where + ".secret", secret, problems);
            case "slack" -> {
                if (secretGiven) {
                    problems.add(where + ".secret: Slack incoming webhooks are not signed; remove it (the url is the credential)");
                }
            }
            case "webhook" -> {
                if (!secretGiven) {
                    problems.add(where + ".secret: missing; Standard Webhooks signs with a whsec_... secret");
                } else if (secret != null && !isStandardWebhooksSecret(secret)) {
                    problems.add(where + ".secret: not whsec_ followed by base64 (the Standard Webhooks form)");
                }
            }
            default -> {
            }
        }
        Alert.Severity minLevel = level(where + ".minLevel", spec.minLevel(), problems);
        for (String publisher : spec.publishers()) {
            if (publisher == null || publisher.isBlank()) {
                problems.add(where + ".publishers: an empty publisher name");
            }
        }
        return problems.size() > before ? null : new Resolved(name, kind, uri, secret, minLevel, Set.copyOf(spec.publishers()));
    }

    /** {@code info}, {@code warn} or {@code error} as the lowest severity a channel takes; null is info. */
    static Alert.Severity level(String where, String value, List<String> problems) {
        if (value == null) {
            return Alert.Severity.INFO;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "info" -> Alert.Severity.INFO;
            case "warn", "warning" -> Alert.Severity.WARNING;
            case "error", "critical" -> Alert.Severity.CRITICAL;
            default -> {
                problems.add(where + ": '" + value + "' is not a level; one of info, warn, error");
                yield Alert.Severity.INFO;
            }
        };
    }

    private static boolean given(String value) {
        return value != null && !value.isBlank();
    }

    /** The value itself, or the environment variable it names with env:NAME; null when absent or unset (a problem then). */
    private static String resolve(String where, String value, Map<String, String> env, List<String> problems) {
        if (!given(value)) {
            return null;
        }
        String v = value.strip();
        if (!v.startsWith(ChannelSpec.ENV_PREFIX)) {
            return v;
        }
        String variable = v.substring(ChannelSpec.ENV_PREFIX.length()).strip();
        if (variable.isEmpty()) {
            problems.add(where + ": 'env:' names no environment variable");
            return null;
        }
        String fromEnv = env.get(variable);
        if (!given(fromEnv)) {
            problems.add(where + ": environment variable " + variable + " is not set");
            return null;
        }
        return fromEnv.strip();
    }

    /** Never quotes the value: it carries the robot's token. */
    private static URI parseUrl(String where, String url, List<String> problems) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            problems.add(where + ": not a valid URL");
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            problems.add(where + ": not an absolute http(s) URL with a host");
            return null;
        }
        return uri;
    }

    private static void requireQueryParameter(String where, URI uri, String parameter, List<String> problems) {
        if (uri == null) {
            return;
        }
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        boolean present = List.of(query.split("&")).stream().anyMatch(p -> p.startsWith(parameter + "=") && p.length() > parameter.length() + 1);
        if (!present) {
            problems.add(where + ": has no " + parameter + " parameter; copy the robot's whole webhook URL");
        }
    }

    private static void checkLength(String where, String secret, List<String> problems) {
        if (secret != null && secret.length() < MIN_SECRET_CHARS) {
            problems.add(where + ": too short for a signing secret (at least " + MIN_SECRET_CHARS + " characters)");
        }
    }

    private static boolean isStandardWebhooksSecret(String secret) {
        if (!secret.startsWith(WebhookChannel.SECRET_PREFIX)) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(secret.substring(WebhookChannel.SECRET_PREFIX.length())).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

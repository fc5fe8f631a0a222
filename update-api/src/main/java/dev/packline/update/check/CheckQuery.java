package dev.packline.update.check;

import dev.packline.http.input.AsciiParsers;
import dev.packline.http.input.InputProblem;
import dev.packline.http.input.InputRefusedException;
import dev.packline.http.input.NameRule;
import dev.packline.http.input.ProblemKind;
import dev.packline.http.input.RequestFields;
import dev.packline.releases.Artifact;
import dev.packline.releases.ClientVersion;
import dev.packline.releases.Names;
import dev.packline.releases.ReleaseKind;
import dev.packline.releases.rollout.ClientInfo;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What a client sends to the check routes, read through http-input's strict path: each field from
 * the query string or its header ({@code deploymentKey} or {@code X-Deployment-Key}...), the query
 * winning, strict UTF-8 ({@link RequestFields}); ids ASCII-only ({@link AsciiParsers}); brand and
 * channel by the name rule every channel name was stored under ({@link NameRule}), so a client's
 * channel is compared in the same normal form; every problem named at once (400).
 */
public final class CheckQuery {
    private static final NameRule BRAND = new NameRule(64);
    /** As long as a channel name the producer API accepts. */
    private static final NameRule CHANNEL = new NameRule(100);

    /** A query field with its header. */
    private enum Field {
        DEPLOYMENT_KEY("deploymentKey", "X-Deployment-Key"), PLATFORM("platform", "X-Platform"), KIND("kind", "X-Update-Kind"),
        CLIENT_VERSION("clientVersion", "X-Client-Version"), CLIENT_ID("clientId", "X-Client-Id"), BRAND("brand", "X-Brand"),
        CHANNEL("channel", "X-Channel"), SIGN("sign", "X-Sign");

        final String query;
        final String header;
        final HeaderName headerName;

        Field(String query, String header) {
            this.query = query;
            this.header = header;
            this.headerName = HeaderNames.create(header);
        }
    }

    /** A well-formed check: the deployment key and the client. */
    public record Check(String deploymentKey, ClientInfo client) {
    }

    private CheckQuery() {
    }

    /**
     * The check, or {@link InputRefusedException} (400) naming every missing or malformed field; the
     * caller may read more of {@code fields} afterwards (the query is split once per call).
     */
    public static Check read(RequestFields fields) {
        List<InputProblem> problems = fields.problems();
        String key = required(fields, Field.DEPLOYMENT_KEY, text -> token(Field.DEPLOYMENT_KEY, text));
        String platform = required(fields, Field.PLATFORM, CheckQuery::platform);
        ClientVersion version = required(fields, Field.CLIENT_VERSION, text -> {
            try {
                return ClientVersion.parse(text);
            } catch (IllegalArgumentException e) {
                throw InputRefusedException.invalid(Field.CLIENT_VERSION.query, e.getMessage());
            }
        });
        ReleaseKind kind = optional(fields, Field.KIND, text -> {
            try {
                return Names.parse(ReleaseKind.class, AsciiParsers.token(Field.KIND.query, text, 1, 32, "-_", "a kind"));
            } catch (IllegalArgumentException e) {
                throw InputRefusedException.invalid(Field.KIND.query, e.getMessage());
            }
        });
        String clientId = optional(fields, Field.CLIENT_ID, text -> token(Field.CLIENT_ID, text));
        String brand = optional(fields, Field.BRAND, text -> name(BRAND, Field.BRAND, text));
        String channel = optional(fields, Field.CHANNEL, text -> name(CHANNEL, Field.CHANNEL, text));
        String sign = optional(fields, Field.SIGN, text -> {
            if (!Artifact.wellFormedSign(text)) {
                throw InputRefusedException.invalid(Field.SIGN.query, "the installed file's MD5 (32 hex digits) or SHA-256 (64 hex digits)");
            }
            return text;
        });
        if (!problems.isEmpty()) {
            throw new InputRefusedException(400, problems, false);
        }
        return new Check(key, new ClientInfo(platform, kind == null ? ReleaseKind.APK : kind, version, clientId, brand, channel, sign));
    }

    private static <T> T required(RequestFields fields, Field field, Function<String, T> rule) {
        int before = fields.problems().size();
        T value = optional(fields, field, rule);
        if (value == null && fields.problems().size() == before) {
            fields.problems().add(new InputProblem(field.query, ProblemKind.MISSING_FIELD, "required, as the query parameter " + field.query
                    + " or the header " + field.header));
        }
        return value;
    }

    private static <T> T optional(RequestFields fields, Field field, Function<String, T> rule) {
        String text = fields.value(field.query, field.headerName);
        if (text == null) {
            return null;
        }
        try {
            return rule.apply(text);
        } catch (InputRefusedException e) {
            fields.problems().addAll(e.problems());
            return null;
        }
    }

    private static String token(Field field, String text) {
        return AsciiParsers.token(field.query, text, 1, 128, "_.:-", "an id");
    }

    private static String platform(String text) {
        String platform = AsciiParsers.token(Field.PLATFORM.query, text, 1, 32, "-", "a lower-case name such as android or ios");
        if (!platform.equals(platform.toLowerCase(java.util.Locale.ROOT)) || !Character.isLetter(platform.charAt(0))) {
            throw InputRefusedException.invalid(Field.PLATFORM.query, "a lower-case name such as android or ios, starting with a letter");
        }
        return platform;
    }

    private static String name(NameRule rule, Field field, String text) {
        List<InputProblem> problems = new ArrayList<>();
        String name = rule.normalise(field.query, text, problems);
        if (name == null) {
            throw new InputRefusedException(400, problems, false);
        }
        return name;
    }
}

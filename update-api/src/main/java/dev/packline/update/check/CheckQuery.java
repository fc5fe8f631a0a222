package dev.packline.update.check;

import dev.packline.releases.Artifact;
import dev.packline.releases.ClientVersion;
import dev.packline.releases.Names;
import dev.packline.releases.ReleaseKind;
import dev.packline.releases.rollout.ClientInfo;
import dev.packline.update.http.CallRefused;
import dev.packline.update.http.CallRefused.Problem;
import dev.packline.update.http.CallRefused.Why;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a client sends to the check routes, read strictly: each field from the query string or its
 * header ({@code deploymentKey} or {@code X-Deployment-Key}...), the query winning, every problem
 * named at once (400). The only place the check's input is parsed, so it is easy to swap for the
 * shared strict decoder.
 */
public final class CheckQuery {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final Pattern PLATFORM = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern TEXT = Pattern.compile("[\\p{L}\\p{N} _.:-]{1,64}");

    /** A query field with its header. */
    private enum Field {
        DEPLOYMENT_KEY("deploymentKey", "X-Deployment-Key"), PLATFORM("platform", "X-Platform"), KIND("kind", "X-Update-Kind"),
        CLIENT_VERSION("clientVersion", "X-Client-Version"), CLIENT_ID("clientId", "X-Client-Id"), BRAND("brand", "X-Brand"),
        CHANNEL("channel", "X-Channel"), SIGN("sign", "X-Sign");

        final String query;
        final String header;

        Field(String query, String header) {
            this.query = query;
            this.header = header;
        }
    }

    /** A well-formed check: the deployment key and the client. */
    public record Check(String deploymentKey, ClientInfo client) {
    }

    private CheckQuery() {
    }

    /** The check, or {@link CallRefused} (400) naming every missing or malformed field. */
    public static Check read(ServerRequest req) {
        List<Problem> problems = new ArrayList<>();
        String key = required(req, Field.DEPLOYMENT_KEY, TOKEN, problems);
        String platform = required(req, Field.PLATFORM, PLATFORM, problems);
        String versionText = required(req, Field.CLIENT_VERSION, null, problems);
        ClientVersion version = null;
        if (versionText != null) {
            try {
                version = ClientVersion.parse(versionText);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(Field.CLIENT_VERSION.query, Why.INVALID_REQUEST, e.getMessage()));
            }
        }
        ReleaseKind kind = ReleaseKind.APK;
        String kindText = optional(req, Field.KIND, null, problems);
        if (kindText != null) {
            try {
                kind = Names.parse(ReleaseKind.class, kindText);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(Field.KIND.query, Why.INVALID_REQUEST, e.getMessage()));
            }
        }
        String clientId = optional(req, Field.CLIENT_ID, TOKEN, problems);
        String brand = optional(req, Field.BRAND, TEXT, problems);
        String channel = optional(req, Field.CHANNEL, TEXT, problems);
        String sign = optional(req, Field.SIGN, null, problems);
        if (sign != null && !Artifact.wellFormedSign(sign)) {
            problems.add(new Problem(Field.SIGN.query, Why.INVALID_REQUEST, "the installed file's MD5 (32 hex digits) or SHA-256 (64 hex digits)"));
        }
        if (!problems.isEmpty()) {
            throw CallRefused.fields(problems);
        }
        return new Check(key, new ClientInfo(platform, kind, version, clientId, brand, channel, sign));
    }

    private static String required(ServerRequest req, Field field, Pattern shape, List<Problem> problems) {
        String value = optional(req, field, shape, problems);
        if (value == null && problems.stream().noneMatch(p -> p.field().equals(field.query))) {
            problems.add(new Problem(field.query, Why.MISSING_FIELD, "required, as the query parameter " + field.query + " or the header "
                    + field.header));
        }
        return value;
    }

    private static String optional(ServerRequest req, Field field, Pattern shape, List<Problem> problems) {
        List<String> fromQuery = req.query().all(field.query, List::of);
        if (fromQuery.size() > 1) {
            problems.add(new Problem(field.query, Why.INVALID_REQUEST, "given " + fromQuery.size() + " times; give it once"));
            return null;
        }
        Optional<String> value = fromQuery.isEmpty() ? req.headers().first(HeaderNames.create(field.header)) : Optional.of(fromQuery.get(0));
        if (value.isEmpty() || value.get().isEmpty()) {
            return null;
        }
        String v = value.get().trim();
        if (v.length() > 128) {
            problems.add(new Problem(field.query, Why.INVALID_REQUEST, "at most 128 characters"));
            return null;
        }
        if (shape != null && !shape.matcher(v).matches()) {
            problems.add(new Problem(field.query, Why.INVALID_REQUEST, "malformed: " + rule(field)));
            return null;
        }
        return v;
    }

    private static String rule(Field field) {
        return switch (field) {
            case PLATFORM -> "a lower-case name such as android or ios";
            case BRAND, CHANNEL -> "1 to 64 letters, digits, spaces, '_', '.', ':' or '-'";
            default -> "1 to 128 letters, digits, '_', '.', ':' or '-'";
        };
    }
}

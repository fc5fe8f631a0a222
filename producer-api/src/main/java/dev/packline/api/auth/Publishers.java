package dev.packline.api.auth;

import dev.packline.queue.Priority;
import dev.packline.settings.Settings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may call the API: publishers by name, each with its limits and its bearer tokens. Tokens are
 * configured as SHA-256 hashes (hex), never in clear, so the file leaks nothing usable; a presented
 * token is hashed and looked up. A token may be limited to some apps. Immutable: rotation builds a
 * new table from the re-read file ({@code ConfigReloader}) and swaps it in.
 */
public final class Publishers {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /**
     * @param submitsPerMinute    sustained submit rate (0 = unlimited)
     * @param submitBurst         submits allowed at once above the sustained rate
     * @param maxChannelsInFlight channels of unfinished requests at most (0 = unlimited)
     * @param priorities          the request priorities the publisher may send (urgent must be granted; see {@code PriorityRule})
     * @param maxUrgentChannels   channels of one urgent request at most: urgent is for hotfixes, not for moving a backlog ahead
     */
    public record Limits(int submitsPerMinute, int submitBurst, int maxChannelsInFlight, Set<Priority> priorities, int maxUrgentChannels) {
        public static final Set<Priority> DEFAULT_PRIORITIES = Set.of(Priority.NORMAL, Priority.BULK);
        public static final int DEFAULT_MAX_URGENT_CHANNELS = 100;
        public static final Limits DEFAULT = new Limits(120, 20, 50_000, DEFAULT_PRIORITIES, DEFAULT_MAX_URGENT_CHANNELS);
        public static final Limits UNLIMITED = new Limits(0, 1, 0, Set.of(Priority.values()), Integer.MAX_VALUE);

        public Limits {
            priorities = Set.copyOf(priorities);
        }
    }

    /** One configured token: its name (for logs; the token itself is never logged), its hash, and the apps it may use (empty = all). */
    public record Token(String name, String sha256, Set<String> apps) {
        public Token {
            apps = Set.copyOf(apps);
        }
    }

    public record Publisher(String name, Limits limits, List<Token> tokens) {
        public Publisher {
            tokens = List.copyOf(tokens);
        }
    }

    /** Who is calling: the publisher, the token's name and the apps the token may use (empty = all). */
    public record Caller(Publisher publisher, String tokenName, Set<String> apps) {
        public String name() {
            return publisher.name();
        }

        public boolean mayUse(String appId) {
            return apps.isEmpty() || apps.contains(appId);
        }
    }

    private final Map<String, Publisher> byName;
    private final Map<String, Caller> byTokenHash;

    public Publishers(List<Publisher> publishers) {
        Map<String, Publisher> names = new LinkedHashMap<>();
        Map<String, Caller> tokens = new LinkedHashMap<>();
        for (Publisher p : publishers) {
            if (names.put(p.name(), p) != null) {
                throw new IllegalArgumentException("publisher '" + p.name() + "' is listed twice");
            }
            for (Token t : p.tokens()) {
                if (tokens.put(t.sha256(), new Caller(p, t.name(), t.apps())) != null) {
                    throw new IllegalArgumentException("token '" + t.name() + "' of publisher '" + p.name() + "' has the same hash as another token");
                }
            }
        }
        this.byName = Map.copyOf(names);
        this.byTokenHash = Map.copyOf(tokens);
    }

    /** The caller a bearer token belongs to, if any. */
    public Optional<Caller> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byTokenHash.get(sha256Hex(token)));
    }

    public Optional<Publisher> publisher(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public int size() {
        return byName.size();
    }

    public int tokenCount() {
        return byTokenHash.size();
    }

    /** The listed priorities, or normal and bulk when the key is absent; an unknown name is a problem naming the key. */
    private static Set<Priority> priorities(Settings s, String key) {
        List<String> names = s.strings(key);
        if (names.isEmpty()) {
            return Limits.DEFAULT_PRIORITIES;
        }
        Set<Priority> levels = EnumSet.noneOf(Priority.class);
        for (String name : names) {
            try {
                levels.add(Priority.parse(name));
            } catch (IllegalArgumentException e) {
                s.problem(key + ": " + e.getMessage());
            }
        }
        return levels;
    }

    public static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the {@code publishers} section:
     * <pre>
     * publishers:
     *   acme:
     *     limits: {submitsPerMinute: 120, submitBurst: 20, maxChannelsInFlight: 50000,
     *              priorities: [urgent, normal, bulk], maxUrgentChannels: 100}
     *     tokens:
     *       ci: {sha256: 64 hex digits, apps: [com.acme.game]}
     * </pre>
     * Problems go to the settings' list (one error for the whole file).
     */
    public static Publishers read(Settings s) {
        List<Publisher> publishers = new ArrayList<>();
        Map<String, String> hashOwners = new LinkedHashMap<>();
        for (String name : s.keys("publishers")) {
            String base = "publishers." + name;
            if (!NAME.matcher(name).matches()) {
                s.problem(base + ": a publisher name is 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit");
            }
            Limits limits = new Limits(s.integer(base + ".limits.submitsPerMinute", Limits.DEFAULT.submitsPerMinute(), 0, 1_000_000),
                    s.integer(base + ".limits.submitBurst", Limits.DEFAULT.submitBurst(), 1, 1_000_000),
                    s.integer(base + ".limits.maxChannelsInFlight", Limits.DEFAULT.maxChannelsInFlight(), 0, 100_000_000),
                    priorities(s, base + ".limits.priorities"),
                    s.integer(base + ".limits.maxUrgentChannels", Limits.DEFAULT_MAX_URGENT_CHANNELS, 1, 1_000_000));
            List<Token> tokens = new ArrayList<>();
            for (String tokenName : s.keys(base + ".tokens")) {
                String at = base + ".tokens." + tokenName;
                String hash = s.string(at + ".sha256", null);
                List<String> apps = s.strings(at + ".apps");
                if (hash == null || !SHA256_HEX.matcher(hash).matches()) {
                    s.problem(at + ".sha256: the token's SHA-256 as 64 lower-case hex digits (printf %s TOKEN | sha256sum)");
                    continue;
                }
                String owner = hashOwners.putIfAbsent(hash, at);
                if (owner != null) {
                    s.problem(at + ".sha256: the same hash as " + owner + "; every token must be different");
                    continue;
                }
                tokens.add(new Token(tokenName, hash, Set.copyOf(apps)));
            }
            if (tokens.isEmpty()) {
                s.problem(base + ".tokens: at least one token, e.g. tokens: {ci: {sha256: ...}}");
            }
            publishers.add(new Publisher(name, limits, tokens));
        }
        if (publishers.isEmpty()) {
            s.problem("publishers: at least one publisher with a token");
        }
        return new Publishers(publishers);
    }
}

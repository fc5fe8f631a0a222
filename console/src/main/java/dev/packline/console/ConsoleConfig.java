package dev.packline.console;

import dev.packline.console.auth.Account;
import dev.packline.console.auth.PasswordHashes;
import dev.packline.console.auth.Role;
import dev.packline.console.auth.SignIn;
import dev.packline.settings.LogFormat;
import dev.packline.settings.ServerSettings;
import dev.packline.settings.Settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The console's whole configuration, read once from YAML (config/console.yml is the commented
 * example) with PACKLINE_* environment overrides, validated at start with every problem in one error.
 *
 * @param redisUrl null: an embedded Redis is started (local use)
 * @param accounts who may sign in, by name
 */
public record ConsoleConfig(String redisUrl, Server server, Duration sessionIdle, Duration sessionMaxAge, SignIn.Lockout lockout,
                            Duration liveInterval, List<Account> accounts, LogFormat logFormat) implements ServerSettings<ConsoleConfig> {
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");


    /**
     * @param secureCookies mark the session cookie Secure: true whenever browsers reach the console over HTTPS
     *                      (a TLS proxy in front); browsers then never send it over plain HTTP
     * @param maxBodyBytes  the largest form read
     */
    public record Server(String bind, int port, boolean secureCookies, long maxBodyBytes) {
        Server withPort(int newPort) {
            return new Server(bind, newPort, secureCookies, maxBodyBytes);
        }
    }

    public static ConsoleConfig load(Path file, Map<String, String> env) {
        return read(Settings.load(file, env));
    }

    public static ConsoleConfig read(Settings s) {
        Server server = new Server(s.string("server.bind", "127.0.0.1"), s.integer("server.port", 8095, 0, 65_535),
                s.bool("server.secureCookies", false), s.bytes("server.maxBodyBytes", 256 * 1024));
        if (server.maxBodyBytes() < 1024 || server.maxBodyBytes() > 16L * 1024 * 1024) {
            s.problem("server.maxBodyBytes: 1KiB to 16MiB, got " + server.maxBodyBytes());
        }
        Duration idle = s.duration("sessions.idleTimeout", Duration.ofMinutes(30));
        Duration maxAge = s.duration("sessions.maxAge", Duration.ofHours(12));
        if (idle.toSeconds() < 60 || maxAge.compareTo(idle) < 0) {
            s.problem("sessions: idleTimeout at least 1m and maxAge at least idleTimeout, got " + idle + " and " + maxAge);
        }
        SignIn.Lockout lockout = new SignIn.Lockout(s.integer("lockout.maxFailures", 5, 1, 1000),
                s.duration("lockout.window", Duration.ofMinutes(15)));
        if (lockout.window().toSeconds() < 1) {
            s.problem("lockout.window: at least 1s");
        }
        Duration live = s.duration("live.refreshInterval", Duration.ofSeconds(1));
        if (live.toMillis() < 200) {
            s.problem("live.refreshInterval: at least 200ms, got " + live.toMillis() + "ms");
        }
        List<Account> accounts = new ArrayList<>();
        for (String name : s.keys("accounts")) {
            Account account = account(s, name);
            if (account != null) {
                accounts.add(account);
            }
        }
        if (accounts.isEmpty()) {
            s.problem("accounts: at least one account (nobody could sign in); see config/console.yml");
        }
        LogFormat format = LogFormat.read(s);
        String redisUrl = s.string("redis.url", null);
        s.finish();
        return new ConsoleConfig(redisUrl, server, idle, maxAge, lockout, live, List.copyOf(accounts), format);
    }

    private static Account account(Settings s, String name) {
        String at = "accounts." + name;
        String hash = s.string(at + ".passwordHash", null);
        String roleText = s.string(at + ".role", null);
        String publisher = s.string(at + ".publisher", null);
        int before = 0;
        List<String> problems = new ArrayList<>();
        if (!ACCOUNT_NAME.matcher(name).matches()) {
            problems.add(at + ": an account name is 1 to 64 letters, digits, '_', '.', '@' or '-'");
        }
        if (!PasswordHashes.looksLikeHash(hash)) {
            problems.add(at + ".passwordHash: a bcrypt hash such as $2a$12$... (make one with bin/packline console hash-password)");
        }
        Role role = null;
        try {
            role = Role.parse(roleText);
        } catch (IllegalArgumentException e) {
            problems.add(at + ".role: " + e.getMessage());
        }
        if (role == Role.PUBLISHER && (publisher == null || publisher.isBlank())) {
            problems.add(at + ".publisher: a publisher account names the producer API publisher whose apps it sees");
        }
        if (role != null && role != Role.PUBLISHER && publisher != null) {
            problems.add(at + ".publisher: only publisher accounts name a publisher (this one is " + role.wireName() + ")");
        }
        problems.forEach(s::problem);
        return problems.size() > before ? null : new Account(name, hash, role, publisher);
    }

    public ConsoleConfig withRedisUrl(String url) {
        return new ConsoleConfig(url, server, sessionIdle, sessionMaxAge, lockout, liveInterval, accounts, logFormat);
    }

    public ConsoleConfig withPort(int port) {
        return new ConsoleConfig(redisUrl, server.withPort(port), sessionIdle, sessionMaxAge, lockout, liveInterval, accounts, logFormat);
    }
}

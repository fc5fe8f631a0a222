package dev.packline.console.auth;

import dev.packline.console.Keys;
import dev.packline.redis.LuaScript;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.packline.redis.RedisErrors.call;

/**
 * Checks a sign-in against the configured accounts, with a lockout: after {@code maxFailures}
 * failed sign-ins of one account name within {@code window}, every sign-in of that name is refused,
 * right password or not, until the window ends. Counted in Redis, so every console instance sees
 * the same count. Names without an account are counted too and cost the same bcrypt check, so the
 * answer and its timing do not tell which names exist.
 */
public final class SignIn {
    private static final LuaScript FAILURE = LuaScript.load("/dev/packline/console/scripts/", "signin_failure.lua");

    /** How a sign-in ended. */
    public sealed interface Outcome {
    }

    public record SignedIn(Account account) implements Outcome {
    }

    public record WrongCredentials(int failuresLeft) implements Outcome {
    }

    public record LockedOut(Duration retryAfter) implements Outcome {
    }

    /** @param window how long failures are remembered from the first one; also how long a lockout lasts */
    public record Lockout(int maxFailures, Duration window) {
    }

    private final Map<String, Account> accounts;
    private final UnifiedJedis redis;
    private final Lockout lockout;

    public SignIn(List<Account> accounts, UnifiedJedis redis, Lockout lockout) {
        this.accounts = accounts.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(Account::name, a -> a));
        this.redis = redis;
        this.lockout = lockout;
    }

    public Outcome attempt(String name, char[] password) {
        String key = Keys.signInFailures(name);
        String failures = call("read sign-in failures", () -> redis.get(key));
        if (failures != null && Integer.parseInt(failures) >= lockout.maxFailures()) {
            long ttl = call("read the lockout", () -> redis.ttl(key));
            return new LockedOut(Duration.ofSeconds(Math.max(1, ttl)));
        }
        Account account = accounts.get(name);
        boolean matches;
        if (account == null) {
            PasswordHashes.checkDecoy(password);
            matches = false;
        } else {
            matches = PasswordHashes.matches(password, account.passwordHash());
        }
        if (matches) {
            call("clear sign-in failures", () -> redis.del(key));
            return new SignedIn(account);
        }
        List<?> counted = (List<?>) call("count a failed sign-in", () -> FAILURE.run(redis, List.of(key),
                List.of(Long.toString(lockout.window().toSeconds()))));
        long n = (Long) counted.get(0);
        if (n >= lockout.maxFailures()) {
            return new LockedOut(Duration.ofSeconds(Math.max(1, (Long) counted.get(1))));
        }
        return new WrongCredentials((int) (lockout.maxFailures() - n));
    }

    public java.util.Optional<Account> account(String name) {
        return java.util.Optional.ofNullable(accounts.get(name));
    }
}

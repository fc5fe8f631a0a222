package dev.packline.console;

import dev.packline.console.auth.PasswordHashes;
import dev.packline.queue.TestRedis;
import dev.packline.settings.Settings;
import dev.packline.settings.SettingsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's HTTP rules with a plain HTTP client on a real server and Redis: the cookie's
 * attributes, strict decoding of forms (issue 22: malformed UTF-8 and hidden characters refused
 * naming the field), the sign-in form's CSRF token; the hash-password command and configuration checks.
 */
class ConsoleHttpTest {
    static final String PASSWORD = "p4ss word";
    static ConsoleServer console;
    static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        String yaml = "server: {port: 0, secureCookies: true}\naccounts:\n  ops: {passwordHash: \"" + PasswordHashes.hash(PASSWORD.toCharArray())
                + "\", role: oncall}\n";
        console = ConsoleServer.start(ConsoleConfig.read(Settings.parse("test", yaml, Map.of())).withRedisUrl(TestRedis.url()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + console.port() + path);
    }

    /** The sign-in form's cookie and token. */
    static String[] signInForm() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/sign-in")).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = page.headers().firstValue("set-cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Secure"), cookie);
        Matcher token = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertTrue(token.find());
        return new String[] {cookie.substring(0, cookie.indexOf(';')), token.group(1)};
    }

    static HttpResponse<String> post(String path, String cookie, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pagesSendStrangersToSignInAndSignInSetsAStrictCookie() throws Exception {
        HttpResponse<String> overview = http.send(HttpRequest.newBuilder(uri("/overview")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, overview.statusCode());
        assertEquals("/sign-in", overview.headers().firstValue("location").orElseThrow());
        String[] form = signInForm();
        HttpResponse<String> in = post("/sign-in", form[0], ("csrf=" + form[1] + "&account=ops&password=p4ss+word").getBytes(StandardCharsets.US_ASCII));
        assertEquals(303, in.statusCode(), in.body());
        String session = in.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("packline_console=")).findFirst().orElseThrow();
        assertTrue(session.contains("HttpOnly") && session.contains("SameSite=Strict") && session.contains("Secure") && session.contains("Path=/"), session);
    }

    @Test
    void formsAreDecodedStrictlyAndRefusalsNameTheField() throws Exception {
        String[] form = signInForm();
        // %C0%AF is an overlong '/': refused, never replaced
        HttpResponse<String> overlong = post("/sign-in", form[0], ("csrf=" + form[1] + "&account=o%C0%AFps&password=x").getBytes(StandardCharsets.US_ASCII));
        assertEquals(400, overlong.statusCode());
        assertTrue(overlong.body().contains("account: not valid UTF-8 at byte 1"), overlong.body());
        // U+202E (right-to-left override) in a name
        HttpResponse<String> bidi = post("/sign-in", form[0], ("csrf=" + form[1] + "&account=ops%E2%80%AE&password=x").getBytes(StandardCharsets.US_ASCII));
        assertEquals(400, bidi.statusCode());
        assertTrue(bidi.body().contains("account: contains the format character U+202E"), bidi.body());
        HttpResponse<String> badEscape = post("/sign-in", form[0], ("csrf=" + form[1] + "&account=%ZZ&password=x").getBytes(StandardCharsets.US_ASCII));
        assertEquals(400, badEscape.statusCode());
        assertTrue(badEscape.body().contains("account: a malformed percent-escape"), badEscape.body());
    }

    @Test
    void theSignInFormNeedsItsOwnToken() throws Exception {
        String[] form = signInForm();
        HttpResponse<String> without = post("/sign-in", form[0], "account=ops&password=p4ss+word".getBytes(StandardCharsets.US_ASCII));
        assertEquals(403, without.statusCode());
        assertTrue(without.body().contains("CSRF token is missing"), without.body());
        HttpResponse<String> wrong = post("/sign-in", form[0], "csrf=forged&account=ops&password=p4ss+word".getBytes(StandardCharsets.US_ASCII));
        assertEquals(403, wrong.statusCode());
    }

    @Test
    void hashPasswordPrintsAHashThatChecks() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = HashPasswordCommand.run(new String[] {"hash-password"}, new ByteArrayInputStream("s3cret words\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status);
        String hash = out.toString(StandardCharsets.UTF_8).strip();
        assertTrue(PasswordHashes.looksLikeHash(hash), hash);
        assertTrue(PasswordHashes.matches("s3cret words".toCharArray(), hash));
        assertEquals(2, HashPasswordCommand.run(new String[] {"hash-password"}, new ByteArrayInputStream("\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())), "an empty password is refused");
    }

    @Test
    void theShippedConfigurationLoadsWithItsDemoAccount() {
        ConsoleConfig shipped = ConsoleConfig.load(Browser.repositoryRoot().resolve("config/console.yml"), Map.of());
        var demo = shipped.accounts().stream().filter(a -> a.name().equals("demo")).findFirst().orElseThrow();
        assertEquals(dev.packline.console.auth.Role.ADMIN, demo.role());
        assertTrue(PasswordHashes.matches("demo-admin".toCharArray(), demo.passwordHash()), "docs/console.md names this demo sign-in");
    }

    @Test
    void configurationProblemsAreListedTogether() {
        SettingsException e = assertThrows(SettingsException.class, () -> ConsoleConfig.read(Settings.parse("bad.yml", """
                accounts:
                  a: {passwordHash: "plain text", role: admin}
                  b: {passwordHash: "$2a$12$zwKfinl2TjY8OqhmmfAimuA30rwFoYd1864W39eryL1w8ZY3usyqu", role: publisher}
                  c: {passwordHash: "$2a$12$zwKfinl2TjY8OqhmmfAimuA30rwFoYd1864W39eryL1w8ZY3usyqu", role: root}
                """, Map.of())));
        assertTrue(e.getMessage().contains("accounts.a.passwordHash: a bcrypt hash"), e.getMessage());
        assertTrue(e.getMessage().contains("accounts.b.publisher: a publisher account names"), e.getMessage());
        assertTrue(e.getMessage().contains("accounts.c.role: expected admin, oncall or publisher, got 'root'"), e.getMessage());
    }

    @Test
    void aStartingConsoleListsTheRequestsCreatedBeforeTheRequestIndex() throws Exception {
        try (redis.clients.jedis.UnifiedJedis redis = dev.packline.redis.RedisConnector.open(TestRedis.url(), 2)) {
            dev.packline.pipeline.RequestStore store = new dev.packline.pipeline.RequestStore(redis, Clock.systemUTC(), java.time.Duration.ofDays(1));
            String id = "req-before-index-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            assertTrue(store.create(new dev.packline.pipeline.PackagingRequest(id, "pub-old", "app-old", "https://cdn.example.com/old.apk",
                    java.util.List.of(new dev.packline.pipeline.ChannelSpec("huawei", Map.of())), null, "local", null, null, null, null, null)));
            String member = id + "|pub-old|app-old";
            redis.zrem(dev.packline.pipeline.Keys.requestIndex(), member); // what a request created before the index existed looks like
            String yaml = "server: {port: 0}\naccounts:\n  ops: {passwordHash: \"" + PasswordHashes.hash(PASSWORD.toCharArray()) + "\", role: oncall}\n";
            try (ConsoleServer second = ConsoleServer.start(ConsoleConfig.read(Settings.parse("test", yaml, Map.of())).withRedisUrl(TestRedis.url()),
                    Clock.systemUTC())) {
                ConsoleTestBed.awaitTrue("the starting console lists the request", () -> redis.zscore(dev.packline.pipeline.Keys.requestIndex(), member) != null);
            }
        }
    }
}

package dev.packline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packline.api.ApiFixture.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of bad submit, each answered with a 4xx whose JSON names the field and the problem,
 * and none of them enqueues anything or records a request.
 */
class BadInputTest {
    @TempDir
    static Path temp;
    static ApiFixture api;
    static Path outside;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture(temp);
        outside = Files.writeString(temp.resolve("secret.apk"), "not for you");
        Files.createSymbolicLink(api.apks.resolve("escape.apk"), outside);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** A case: what is done to a valid body, and the status, reason and field expected. */
    record Case(String name, Consumer<ObjectNode> change, int status, String reason, String field, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, Consumer<ObjectNode> change, int status, String reason, String field, String messagePart) {
        return new Case(name, change, status, reason, field, messagePart);
    }

    static Stream<Case> cases() {
        return Stream.of(
                c("unknown field", b -> b.put("urgency", 1), 400, "unknown_field", "urgency", "unknown field"),
                c("unknown field in a channel object", b -> channels(b).set(0, obj().put("name", "a").put("weight", 2)), 400,
                        "unknown_field", "channels[0].weight", "unknown field"),
                c("missing appId", b -> b.remove("appId"), 400, "missing_field", "appId", "required"),
                c("missing mother", b -> b.remove("mother"), 400, "missing_field", "mother", "required"),
                c("missing channels", b -> b.remove("channels"), 400, "missing_field", "channels", "required"),
                c("missing outputStore", b -> b.remove("outputStore"), 400, "missing_field", "outputStore", "required"),
                c("missing channel name", b -> channels(b).set(0, obj().set("extra", obj().put("k", "v"))), 400, "missing_field",
                        "channels[0].name", "required"),
                c("appId not a string", b -> b.put("appId", 5), 400, "invalid_request", "appId", "must be a string"),
                c("channels not a list", b -> b.put("channels", "huawei"), 400, "invalid_request", "channels", "must be a list"),
                c("no channels", b -> b.putArray("channels"), 400, "invalid_request", "channels", "at least one channel"),
                c("channel with a slash", b -> channels(b).set(1, "a/b"), 400, "invalid_request", "channels[1]", "path separator"),
                c("channel with a backslash", b -> channels(b).set(1, "a\\b"), 400, "invalid_request", "channels[1]", "path separator"),
                c("channel with ..", b -> channels(b).set(0, ".."), 400, "invalid_request", "channels[0]", "'..'"),
                c("channel with a control character", b -> channels(b).set(0, "bell\u0007"), 400, "invalid_request", "channels[0]", "control character"),
                c("channel name too long", b -> channels(b).set(0, "x".repeat(101)), 400, "invalid_request", "channels[0]", "longer than 100"),
                c("empty channel name", b -> channels(b).set(0, ""), 400, "invalid_request", "channels[0]", "empty"),
                c("duplicate channels", b -> channels(b).set(1, channels(b).get(0).isTextual() ? channels(b).get(0).asText()
                        : channels(b).get(0).get("name").asText()), 400, "invalid_request", "channels[1]", "appears twice"),
                c("too many channels", b -> {
                    ArrayNode many = b.putArray("channels");
                    for (int i = 0; i < 2001; i++) {
                        many.add("c" + i);
                    }
                }, 400, "too_many_channels", "channels", "at most 2000"),
                c("extra value not a string", b -> channels(b).set(0, obj().put("name", "n").set("extra", obj().put("k", 1))), 400,
                        "invalid_request", "channels[0].extra.k", "must be a string"),
                c("mother outside the allowed roots", b -> b.put("mother", "file:///etc/passwd"), 400, "invalid_request", "mother",
                        "outside the allowed roots"),
                c("mother escaping through ..", b -> b.put("mother", "file://" + api.apks + "/../secret.apk"), 400, "invalid_request",
                        "mother", "outside the allowed roots"),
                c("mother escaping through a percent-encoded ..", b -> b.put("mother", "file://" + api.apks + "/%2e%2e/secret.apk"), 400,
                        "invalid_request", "mother", "outside the allowed roots"),
                c("mother escaping through a symlink", b -> b.put("mother", api.apks.resolve("escape.apk").toUri().toString()), 400,
                        "invalid_request", "mother", "links outside the allowed roots"),
                c("mother that does not exist", b -> b.put("mother", api.apks.resolve("nope.apk").toUri().toString()), 400,
                        "invalid_request", "mother", "does not exist"),
                c("https host not allowed", b -> b.put("mother", "https://evil.example.net/game.apk"), 400, "invalid_request", "mother",
                        "not in the allowed hosts"),
                c("https host resolving to loopback", b -> b.put("mother", "https://localhost/game.apk"), 400, "invalid_request", "mother",
                        "non-public address"),
                c("https host at a private address", b -> b.put("mother", "https://192.168.10.20/game.apk"), 400, "invalid_request",
                        "mother", "non-public address"),
                c("https host at a carrier-grade NAT address", b -> b.put("mother", "https://100.64.1.1/game.apk"), 400, "invalid_request",
                        "mother", "non-public address"),
                c("https with credentials", b -> b.put("mother", "https://user:pw@cdn.example.com/game.apk"), 400, "invalid_request",
                        "mother", "credentials"),
                c("plain http", b -> b.put("mother", "http://cdn.example.com/game.apk"), 400, "invalid_request", "mother", "file://"),
                c("mother from an unknown store", b -> b.put("mother", "store://elsewhere/game.apk"), 400, "invalid_request", "mother",
                        "not configured"),
                c("unknown output store", b -> b.put("outputStore", "s3"), 400, "invalid_request", "outputStore", "not a configured store"),
                c("diff base outside the roots", b -> b.putArray("diffAgainst").add("file:///etc/hosts"), 400, "invalid_request",
                        "diffAgainst[0]", "outside the allowed roots"),
                c("unknown notification channel", b -> b.putArray("notifyChannels").add("ops-log").add("pager"), 400, "invalid_request",
                        "notifyChannels[1]", "not a configured notification channel"),
                c("template without {channel}", b -> b.put("nameTemplate", "{package}.apk"), 400, "invalid_request", "nameTemplate",
                        "{channel}"),
                c("template with an unknown placeholder", b -> b.put("nameTemplate", "{channel}-{build}.apk"), 400, "invalid_request",
                        "nameTemplate", "unknown placeholder {build}"),
                c("template with a path separator", b -> b.put("nameTemplate", "out/{channel}.apk"), 400, "invalid_request", "nameTemplate",
                        "path separator"),
                c("unknown format", b -> b.put("format", "zip"), 400, "invalid_request", "format", "walle, vasdolly or both"),
                c("unknown notify level", b -> b.put("notifyLevel", "loud"), 400, "invalid_request", "notifyLevel", "all, failures or none"),
                c("output prefix with a bidi override", b -> b.put("outputPrefix", "game/\u202e1.0/"), 400, "invalid_request", "outputPrefix",
                        "format character U+202E"),
                c("template with a zero-width space", b -> b.put("nameTemplate", "{channel}\u200b.apk"), 400, "invalid_request", "nameTemplate",
                        "format character U+200B"),
                c("output prefix climbing out", b -> b.put("outputPrefix", "../other/"), 400, "invalid_request", "outputPrefix", "'..'"));
    }

    private static ArrayNode channels(ObjectNode body) {
        return (ArrayNode) body.get("channels");
    }

    private static ObjectNode obj() {
        return ApiFixture.JSON.createObjectNode();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aBadBodyIsRefusedNamingTheFieldAndNothingIsEnqueued(Case c) throws Exception {
        ObjectNode body = (ObjectNode) ApiFixture.JSON.readTree(api.body(3));
        c.change().accept(body);
        assertRefused(() -> api.post(api.acmeToken, ApiFixture.JSON.writeValueAsString(body)), c.status(), c.reason(), c.field(), c.messagePart());
    }

    static Stream<Arguments> rawBodies() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"appId\": \"com.acme.game\", ", 400, "invalid_request", "body", "malformed JSON"),
                Arguments.of("not an object", "[1, 2]", 400, "invalid_request", "body", "must be a JSON object"),
                Arguments.of("duplicate key", "{\"appId\": \"a\", \"appId\": \"b\"}", 400, "invalid_request", "body", "Duplicate field"),
                Arguments.of("empty body", "", 400, "invalid_request", "body", "empty"),
                Arguments.of("oversized body", "{\"appId\": \"" + "x".repeat(300 * 1024) + "\"}", 413, "body_too_large", "body", "262144 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rawBodies")
    void aBodyThatIsNotARequestIsRefused(String name, String body, int status, String reason, String field, String messagePart) throws Exception {
        assertRefused(() -> api.post(api.acmeToken, body), status, reason, field, messagePart);
    }

    @Test
    void anOversizedChunkedBodyIsRefusedToo() throws Exception {
        byte[] big = ("{\"appId\": \"" + "x".repeat(300 * 1024) + "\"}").getBytes();
        // ofInputStream has no length, so the client sends it chunked: the limit is enforced while reading
        HttpRequest request = HttpRequest.newBuilder(api.uri("/v1/jobs")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + api.acmeToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build();
        assertRefused(() -> api.send(request), 413, "body_too_large", "body", "262144 bytes");
    }

    @Test
    void everyProblemOfABodyIsListedAtOnce() throws Exception {
        String body = """
                {"appId": "com.acme.game", "mother": "https://localhost/a.apk", "channels": ["ok", "a/b", "ok"],
                 "outputStore": "s3", "nameTemplate": "{package}.apk", "urgency": 1}
                """;
        long pendingBefore = api.queues.counts(api.packageQueue()).pending();
        Response r = api.post(api.acmeToken, body);
        assertEquals(400, r.status(), r.toString());
        assertEquals("6 problems with the request", r.json().get("error").get("message").asText(), r.toString());
        java.util.Map<String, String> byField = new java.util.LinkedHashMap<>();
        r.json().get("error").get("problems").forEach(p -> byField.put(p.get("field").asText(), p.get("reason").asText()));
        assertEquals(java.util.Map.of("urgency", "unknown_field", "mother", "invalid_request", "channels[1]", "invalid_request",
                "channels[2]", "invalid_request", "outputStore", "invalid_request", "nameTemplate", "invalid_request"), byField);
        assertEquals("unknown_field", r.json().get("error").get("reason").asText(), "the first problem's reason");
        assertEquals(pendingBefore, api.queues.counts(api.packageQueue()).pending());
    }

    @Test
    void aBadIdempotencyKeyIsRefused() throws Exception {
        assertRefused(() -> api.post(api.acmeToken, api.body(2), "has space"), 400, "invalid_request", "Idempotency-Key", "visible ASCII");
        assertRefused(() -> api.post(api.acmeToken, api.body(2), "k".repeat(201)), 400, "invalid_request", "Idempotency-Key", "visible ASCII");
    }

    @Test
    void callsWithoutAValidTokenAre401() throws Exception {
        for (String token : new String[]{null, "wrong-token", ""}) {
            Response r = api.post(token, api.body(2));
            assertEquals(401, r.status(), r.toString());
            assertEquals("unauthorized", r.json().get("error").get("reason").asText());
            assertTrue(r.header("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
            assertEquals(401, api.get(token, "/v1/jobs").status());
        }
        Response basic = api.send(HttpRequest.newBuilder(api.uri("/v1/jobs")).header("Authorization", "Basic YTpi").GET().build());
        assertEquals(401, basic.status());
        assertTrue(api.get(api.acmeToken, "/v1/jobs").json().get("jobs").isEmpty());
    }

    @Test
    void locationsTheWorkerAcceptsAreAccepted() throws Exception {
        for (String mother : new String[]{"https://93.184.216.34/game.apk", "store://local/mothers/game.apk", api.mother.toUri().toString()}) {
            ObjectNode body = (ObjectNode) ApiFixture.JSON.readTree(api.body(2));
            body.put("mother", mother);
            body.put("nameTemplate", "{package}-{versionCode}-{channel}.apk");
            Response r = api.post(api.rivalToken, ApiFixture.JSON.writeValueAsString(body));
            assertEquals(202, r.status(), mother + ": " + r);
        }
    }

    interface Call {
        Response send() throws Exception;
    }

    private static void assertRefused(Call call, int status, String reason, String field, String messagePart) throws Exception {
        long pendingBefore = api.queues.counts(api.packageQueue()).pending();
        Response r = call.send();
        assertEquals(status, r.status(), r.toString());
        assertTrue(r.header("Content-Type").orElseThrow().startsWith("application/json"), r.toString());
        JsonNode error = r.json().get("error");
        assertEquals(status, error.get("status").asInt());
        assertEquals(reason, error.get("reason").asText(), r.toString());
        JsonNode problem = null;
        for (JsonNode p : error.get("problems")) {
            if (p.get("field").asText().equals(field)) {
                problem = p;
            }
        }
        assertTrue(problem != null, "no problem names field " + field + ": " + r);
        assertTrue(problem.get("message").asText().contains(messagePart), "'" + messagePart + "' not in: " + problem);
        assertTrue(api.get(api.acmeToken, "/v1/jobs").json().get("jobs").isEmpty(), "no request recorded");
        assertEquals(pendingBefore, api.queues.counts(api.packageQueue()).pending(), "nothing enqueued");
    }
}

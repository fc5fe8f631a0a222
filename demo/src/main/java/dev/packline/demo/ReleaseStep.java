package dev.packline.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The demo's release step (docs/updates.md): the finished request becomes release 2 of its app
 * over the producer API, rolled out to 30% of the clients, and simulated clients installed from
 * release 1 (the older mother, whose SHA-256 they send as their sign) ask the running update API's
 * check route; some get it, the others are told they are up to date. Then the release goes full and
 * every one of them gets it, with the request's bsdiff patch from release 1.
 */
final class ReleaseStep {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int CLIENTS = 40; // at 30%, all or none of 40 clients in the gray share happens once in a million runs
    private static final int GRAY_PERCENT = 30;
    /** A whitelisted client: once it is offered the release, the update API's snapshot has the change. */
    private static final String PROBE = "demo-probe";

    private final HttpClient http;
    private final URI api;
    private final String token;
    private final URI updateApi;
    private final PrintStream out;
    private final List<String> problems = new ArrayList<>();

    ReleaseStep(HttpClient http, URI api, String token, URI updateApi, PrintStream out) {
        this.http = http;
        this.api = api;
        this.token = token;
        this.updateApi = updateApi;
        this.out = out;
    }

    /** Runs the step; true when the gray share was partial, the full release reached every client, and each answer was well formed. */
    boolean run(String appId, String requestId, String channel, String installedSha256) throws IOException, InterruptedException {
        ObjectNode app = JSON.createObjectNode().put("appId", appId);
        app.putArray("deployments").add("production");
        String key = call("POST", "/v1/apps", app, 201).path("deployments").get(0).path("key").asText();
        ObjectNode release = JSON.createObjectNode().put("deployment", "production").put("platform", "android").put("version", "2")
                .put("clientVersions", "<2").put("fromRequest", requestId).put("notes", "the demo's request");
        long id = call("POST", "/v1/apps/" + appId + "/releases", release, 201).path("releaseId").asLong();
        String actions = "/v1/apps/" + appId + "/releases/" + id + "/actions";
        call("POST", actions, JSON.createObjectNode().put("action", "set-percentage").put("percentage", Integer.toString(GRAY_PERCENT)), 200);
        ObjectNode whitelist = JSON.createObjectNode().put("action", "set-whitelist");
        whitelist.putArray("clientIds").add(PROBE);
        call("POST", actions, whitelist, 200);
        call("POST", actions, JSON.createObjectNode().put("action", "start"), 200);
        awaitProbe(key, channel, installedSha256, "whitelist");
        int gray = offered(key, channel, installedSha256, "gray").size();
        out.printf("  release   %s release %d from request %s, gray at %d%%: %d of %d simulated clients offered it, the others up to date%n",
                appId, id, requestId, GRAY_PERCENT, gray, CLIENTS);
        if (gray == 0 || gray == CLIENTS) {
            problems.add("a " + GRAY_PERCENT + "% gray release was offered to " + gray + " of " + CLIENTS + " clients");
        }
        call("POST", actions, JSON.createObjectNode().put("action", "full"), 200);
        awaitProbe(key, channel, installedSha256, "full");
        List<JsonNode> full = offered(key, channel, installedSha256, "full");
        out.printf("  release   full: %d of %d offered it%n", full.size(), CLIENTS);
        if (full.size() != CLIENTS) {
            problems.add("a full release was offered to " + full.size() + " of " + CLIENTS + " clients");
        }
        if (!full.isEmpty()) {
            JsonNode answer = full.get(0);
            out.println("  check     " + updateApi.resolve(checkPath(key, "demo-client-0", channel, installedSha256)));
            out.println("            " + JSON.writeValueAsString(answer));
            if (!answer.path("patch").isObject()) {
                problems.add("a client on release 1 was offered no patch");
            }
            String downloaded = download(answer.path("downloadUrl").asText());
            out.println("  download  " + answer.path("downloadUrl").asText() + ": SHA-256 "
                    + (downloaded.equals(answer.path("sha256").asText()) ? "matches the answer" : "DIFFERS from the answer"));
            if (!downloaded.equals(answer.path("sha256").asText())) {
                problems.add("the downloaded file is not the one the answer names");
            }
        }
        problems.stream().limit(5).forEach(p -> out.println("  PROBLEM: " + p));
        return problems.isEmpty();
    }

    /** The answers of the simulated clients that were offered the release with this outcome. */
    private List<JsonNode> offered(String key, String channel, String installedSha256, String outcome) throws IOException, InterruptedException {
        List<JsonNode> offered = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            JsonNode answer = check(key, "demo-client-" + i, channel, installedSha256);
            if (answer.path("update").asBoolean()) {
                if (outcome.equals(answer.path("outcome").asText())) {
                    offered.add(answer);
                } else {
                    problems.add("client " + i + " was offered the release as " + answer.path("outcome").asText() + ", not " + outcome);
                }
            }
        }
        return offered;
    }

    /**
     * Asks as the whitelisted probe client until the update API's snapshot has the change (a published
     * change reaches it within milliseconds; its poll repairs a lost message within 2 s).
     */
    private void awaitProbe(String key, String channel, String installedSha256, String outcome) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!outcome.equals(check(key, PROBE, channel, installedSha256).path("outcome").asText())) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the update API did not offer the release as " + outcome + " within 10 s of the change");
            }
            Thread.sleep(50);
        }
    }

    private JsonNode check(String key, String clientId, String channel, String installedSha256) throws IOException, InterruptedException {
        HttpRequest check = HttpRequest.newBuilder(updateApi.resolve(checkPath(key, clientId, channel, installedSha256)))
                .timeout(Duration.ofSeconds(10)).build();
        return answer(http.send(check, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)), 200, "GET /v1/check");
    }

    /** The SHA-256 of the file at {@code url}, as a client checks what it downloaded. */
    private String download(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (file.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + file.statusCode());
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file.body()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String checkPath(String key, String clientId, String channel, String sign) {
        return "/v1/check?deploymentKey=" + key + "&platform=android&clientVersion=1&clientId=" + clientId + "&brand=huawei&channel="
                + URLEncoder.encode(channel, StandardCharsets.UTF_8) + "&sign=" + sign;
    }

    private JsonNode call(String method, String path, ObjectNode body, int expected) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        return answer(http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)), expected, method + " " + path);
    }

    private static JsonNode answer(HttpResponse<String> response, int expected, String what) throws IOException {
        if (response.statusCode() != expected) {
            throw new IOException(what + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}

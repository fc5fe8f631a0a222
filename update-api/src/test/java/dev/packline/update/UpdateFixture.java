package dev.packline.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.settings.Settings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Real update API instances on free loopback ports, configured from YAML like an operator's, and a real HTTP client. */
final class UpdateFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private UpdateFixture() {
    }

    /** An instance on {@code redisUrl}; {@code extra} is appended to the YAML. */
    static UpdateServer start(String redisUrl, String extra) {
        return start(redisUrl, List.of(), extra);
    }

    /** As above, with {@code server} settings ({@code "checksPerIpSecond: 5"}...). */
    static UpdateServer start(String redisUrl, List<String> server, String extra) {
        String yaml = """
                redis:
                  url: %s
                server:
                  port: 0
                %s
                snapshot:
                  pollInterval: 200ms
                  staleAfter: 1s
                  missInterval: 100ms
                logging:
                  format: console
                %s
                """.formatted(redisUrl, server.stream().map(line -> "  " + line).collect(java.util.stream.Collectors.joining("\n")), extra);
        return UpdateServer.start(UpdateConfig.read(Settings.parse("update-api.yml", yaml, Map.of())));
    }

    record Answer(int status, JsonNode body, String text) {
    }

    static Answer get(UpdateServer api, String pathAndQuery, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + pathAndQuery)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return answer(HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    static Answer post(UpdateServer api, String path, String body) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return answer(HTTP.send(r, HttpResponse.BodyHandlers.ofString()));
    }

    private static Answer answer(HttpResponse<String> r) {
        JsonNode body = null;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            // not JSON: the test looks at the text
        }
        return new Answer(r.statusCode(), body, r.body());
    }
}

package dev.packline.demo;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code POST /v1/jobs} as a publisher's CI sends it: a 503 (the queues do not exist yet, or Redis
 * is restarting) is retried for up to 90 s with the same request, whose Idempotency-Key makes the
 * retries one request. Anything but 202 then is an error naming the status and the body.
 */
public final class Submits {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RETRY_FOR = Duration.ofSeconds(90);

    private Submits() {
    }

    /** Sends the submit and returns the request id. */
    public static String submit(HttpClient http, HttpRequest submit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        HttpResponse<String> response = http.send(submit, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        while (response.statusCode() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            response = http.send(submit, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        if (response.statusCode() != 202) {
            throw new IOException("the API refused the request (" + response.statusCode() + "): " + response.body());
        }
        return JSON.readTree(response.body()).path("id").asText();
    }
}

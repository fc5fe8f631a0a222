package dev.packline.notify;

import dev.packline.queue.retry.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Posts JSON for every notification channel through one shared {@link HttpClient}: connect and
 * request timeouts, retries with backoff for what may pass (timeouts, refused connections, 5xx,
 * 429 with its Retry-After), and an immediate {@link NotificationException.Reason#REJECTED} for
 * what will not (any other 4xx, or a redirect, which a webhook URL should never answer). It owns
 * no decision about the alert: when it gives up, the caller keeps the alert.
 */
public final class WebhookClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookClient.class);

    /**
     * @param maxAttempts   tries per message, the first included
     * @param maxRetryAfter a 429 or 503 asking to wait longer than this ends the tries at once
     */
    public record Params(Duration connectTimeout, Duration requestTimeout, int maxAttempts, Backoff backoff, Duration maxRetryAfter) {
        /** At most 4 tries over about 40 s in the worst case: a notify job waits that long for a dead robot, not minutes. */
        public static final Params DEFAULT = new Params(Duration.ofSeconds(5), Duration.ofSeconds(10), 4,
                new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(8), 0.2), Duration.ofSeconds(30));

        public Params {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
            }
        }
    }

    /** One request as a channel builds it; built again for every try, so signatures carry a fresh timestamp. */
    record Outgoing(URI url, Map<String, String> headers, String body) {
        @Override
        public String toString() {
            return "Outgoing[(url and body not shown: they carry credentials)]";
        }
    }

    /** A 2xx reply. */
    record Response(int status, String body) {
    }

    private final Params params;
    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;

    public WebhookClient(Params params, Clock clock, Sleeper sleeper) {
        this.params = params;
        this.clock = clock;
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder()
                .connectTimeout(params.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The clock channels take their signing timestamps from. */
    public Clock clock() {
        return clock;
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    /** Posts until a 2xx reply comes back or the tries are used up. */
    Response post(Endpoint endpoint, Supplier<Outgoing> request) throws NotificationException {
        for (int attempt = 1; ; attempt++) {
            String problem;
            Throwable cause = null;
            Duration wait = params.backoff().delayAfter(attempt);
            try {
                HttpResponse<String> reply = http.send(toHttp(request.get()), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = reply.statusCode();
                if (status >= 200 && status < 300) {
                    return new Response(status, reply.body());
                }
                problem = "HTTP " + status + ": " + endpoint.quote(reply.body());
                if (status != 429 && status < 500) {
                    throw endpoint.rejected(problem);
                }
                Duration asked = retryAfter(reply);
                if (asked.compareTo(params.maxRetryAfter()) > 0) {
                    throw endpoint.unavailable(problem + ", and it asks to wait " + asked.toSeconds() + " s", null);
                }
                wait = asked.compareTo(wait) > 0 ? asked : wait;
            } catch (IOException e) { // timeouts, refused or reset connections: the message may pass on another try
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                cause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw endpoint.unavailable("interrupted while sending", e);
            }
            if (attempt >= params.maxAttempts()) {
                throw endpoint.unavailable("gave up after " + attempt + (attempt == 1 ? " attempt" : " attempts") + ", the last: " + problem, cause);
            }
            log.info("{}: attempt {} of {} failed ({}); trying again in {} ms", endpoint.describe(), attempt, params.maxAttempts(),
                    endpoint.scrub(problem), wait.toMillis());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw endpoint.unavailable("interrupted while waiting to retry after: " + problem, e);
            }
        }
    }

    private HttpRequest toHttp(Outgoing outgoing) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(outgoing.url())
                .timeout(params.requestTimeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(outgoing.body(), StandardCharsets.UTF_8));
        outgoing.headers().forEach(builder::header);
        return builder.build();
    }

    /** Retry-After in seconds (the form these services use); zero when absent or in another form. */
    private static Duration retryAfter(HttpResponse<?> reply) {
        return reply.headers().firstValue("Retry-After").map(String::strip).filter(v -> v.matches("\\d{1,9}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(Duration.ZERO);
    }

    /** Lets requests in flight finish for a second, then aborts them: close after everything that sends has stopped. */
    @Override
    public void close() {
        http.shutdown();
        try {
            if (!http.awaitTermination(Duration.ofSeconds(1))) {
                http.shutdownNow();
            }
        } catch (InterruptedException e) {
            http.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

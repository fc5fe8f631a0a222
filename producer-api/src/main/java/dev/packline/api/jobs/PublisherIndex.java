package dev.packline.api.jobs;

import dev.packline.http.input.AsciiParsers;
import dev.packline.http.input.InputRefusedException;
import dev.packline.http.input.StrictUtf8;
import dev.packline.pipeline.PublisherRequestIndex;
import dev.packline.redis.RedisErrors;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * Each publisher's requests, newest first, for {@code GET /v1/jobs}: a sorted set per publisher
 * with members {@code ID|APP} scored by creation time, trimmed to the request retention and to
 * {@code maxEntries} on every add, and expiring with its last submit. Entries whose request has
 * expired are skipped when read. Adding goes through the pipeline's {@link PublisherRequestIndex}, which
 * workers use too (a schedule's request is listed like a submitted one); it also keeps each
 * publisher's in-flight set ({@link ChannelsInFlight}).
 */
public final class PublisherIndex {

    /** One entry: request id, app, creation time. */
    public record Entry(String id, String appId, long createdAt) {
    }

    /** A page of entries (newest first) and the cursor of the next page, null at the end. */
    public record Page(List<Entry> entries, String nextCursor) {
    }

    private final UnifiedJedis redis;
    private final PublisherRequestIndex writer;

    public PublisherIndex(UnifiedJedis redis, Clock clock, Duration retention, int maxEntries) {
        this.redis = redis;
        this.writer = new PublisherRequestIndex(redis, clock, retention, maxEntries);
    }

    public void add(String publisher, String requestId, String appId, int channels) {
        writer.add(publisher, requestId, appId, channels);
    }

    /**
     * Up to {@code count} entries older than the cursor (newest first). Ties in creation time are
     * ordered by member, descending, as Redis orders them, and the cursor holds both.
     */
    public Page page(String publisher, String cursor, int count) {
        double maxScore = Double.POSITIVE_INFINITY;
        String after = null;
        if (cursor != null) {
            String[] parts = decodeCursor(cursor);
            maxScore = Double.parseDouble(parts[0]);
            after = parts[1];
        }
        List<Entry> out = new ArrayList<>();
        int offset = 0;
        String key = ApiKeys.requests(publisher);
        while (out.size() < count) {
            int fetch = count + 1;
            double max = maxScore;
            int from = offset;
            List<Tuple> tuples = call("list requests of " + publisher, () -> redis.zrevrangeByScoreWithScores(key, max, Double.NEGATIVE_INFINITY, from, fetch));
            if (tuples.isEmpty()) {
                return new Page(out, null);
            }
            offset += tuples.size();
            for (Tuple t : tuples) {
                if (after != null && t.getScore() == maxScore && t.getElement().compareTo(after) >= 0) {
                    continue; // already returned on an earlier page
                }
                int bar = t.getElement().indexOf('|');
                out.add(new Entry(t.getElement().substring(0, bar), t.getElement().substring(bar + 1), (long) t.getScore()));
                if (out.size() == count) {
                    return new Page(out, cursorFor(t));
                }
            }
            if (tuples.size() < fetch) {
                return new Page(out, null);
            }
        }
        return new Page(out, null);
    }

    /** Forgets entries whose request no longer exists (expired before the index trimmed them). */
    public void forget(String publisher, Entry entry) {
        call("drop an expired request from the index", () -> redis.zrem(ApiKeys.requests(publisher), entry.id() + "|" + entry.appId()));
    }

    /** The cursor of the page that starts after this entry. */
    public static String cursorAfter(Entry entry) {
        String raw = entry.createdAt() + ":" + entry.id() + "|" + entry.appId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String cursorFor(Tuple t) {
        String raw = (long) t.getScore() + ":" + t.getElement();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor's score and member; IllegalArgumentException when it is not one this class made. */
    public static String[] decodeCursor(String cursor) {
        String raw;
        try {
            raw = StrictUtf8.decode(Base64.getUrlDecoder().decode(cursor), "cursor");
        } catch (IllegalArgumentException | InputRefusedException e) {
            throw new IllegalArgumentException("not a cursor this API gave out");
        }
        int colon = raw.indexOf(':');
        // ASCII digits only: Character.isDigit also takes other scripts' digits, which Double.parseDouble then refuses
        if (colon < 1 || colon > 19 || raw.indexOf('|') < colon || !AsciiParsers.isDigits(raw.substring(0, colon))) {
            throw new IllegalArgumentException("not a cursor this API gave out");
        }
        return new String[]{raw.substring(0, colon), raw.substring(colon + 1)};
    }

    private <T> T call(String operation, Supplier<T> body) {
        return RedisErrors.call(operation, body);
    }
}

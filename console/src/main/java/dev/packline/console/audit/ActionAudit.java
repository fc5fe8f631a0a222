package dev.packline.console.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.console.Keys;
import dev.packline.redis.LuaScript;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.util.List;

import static dev.packline.redis.RedisErrors.call;

/**
 * The console's audit log: every action anyone takes through the console (sign-ins and failed
 * sign-ins included), with the account's name, what was acted on, and how it ended; newest first,
 * the newest {@link #CAP} kept. Release actions are also in the release catalogue's own audit list
 * (with the account as actor); this log is the console's whole story in one place.
 */
public final class ActionAudit {
    public static final int CAP = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LuaScript ADD = LuaScript.load("/dev/packline/console/scripts/", "audit_add.lua");

    /** How an action ended. */
    public enum Outcome { DONE, REFUSED, FAILED }

    /**
     * @param target what was acted on ({@code package:3}, {@code job package:3/abc}, {@code release app/12}...)
     * @param detail what happened, for people
     */
    public record Entry(long at, String account, String action, String target, Outcome outcome, String detail) {
    }

    private final UnifiedJedis redis;
    private final Clock clock;

    public ActionAudit(UnifiedJedis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    public void record(String account, String action, String target, Outcome outcome, String detail) {
        Entry entry = new Entry(clock.millis(), account, action, target, outcome, detail);
        String json;
        try {
            json = JSON.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit entry is plain data and always writes", e);
        }
        call("write the console audit log", () -> ADD.run(redis, List.of(Keys.audit()), List.of(json, Integer.toString(CAP))));
    }

    /** The newest {@code limit} entries, newest first. */
    public List<Entry> newest(int limit) {
        List<String> raw = call("read the console audit log", () -> redis.lrange(Keys.audit(), 0, limit - 1L));
        return raw.stream().map(text -> {
            try {
                return JSON.readValue(text, Entry.class);
            } catch (JsonProcessingException e) {
                return new Entry(0, "?", "unreadable entry", "", Outcome.FAILED, text.length() > 200 ? text.substring(0, 200) : text);
            }
        }).toList();
    }
}

package dev.packline.releases.redis;

import dev.packline.redis.LuaScript;
import dev.packline.releases.InstallEvent;
import dev.packline.releases.Names;
import redis.clients.jedis.UnifiedJedis;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static dev.packline.redis.RedisErrors.call;

/**
 * Client reports per release, shared by every update API instance: a counter per event and per
 * failure reason, and the distinct clients per event (a HyperLogLog each: about 0.8% error, 12 KB
 * at most, whatever the number of clients). Each release's counters have their own hash slot.
 */
public final class InstallReports {
    private final UnifiedJedis redis;
    private final LuaScript count = LuaScript.load("/dev/packline/releases/scripts/", "report_count.lua");

    /** A release's installs and failures so far, what the automatic pause looks at. */
    public record Outcomes(long installed, long failed) {
        public long attempts() {
            return installed + failed;
        }
    }

    /** One event's reports: how many, and from how many distinct clients. */
    public record Tally(long reports, long clients) {
    }

    public InstallReports(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** Counts one report; {@code clientId} and {@code reason} may be null. */
    public Outcomes record(long release, InstallEvent event, String clientId, String reason) {
        String name = Names.of(event);
        List<?> result = (List<?>) call("count a report of release " + release, () -> count.run(redis,
                List.of(Keys.reports(release), Keys.reportClients(release, name)),
                List.of(name, clientId == null ? "" : clientId, reason == null ? "" : reason)));
        return new Outcomes((Long) result.get(0), (Long) result.get(1));
    }

    /** Every event's tally for a release. */
    public Map<InstallEvent, Tally> tallies(long release) {
        Map<String, String> counts = call("read the reports of release " + release, () -> redis.hgetAll(Keys.reports(release)));
        Map<InstallEvent, Tally> tallies = new EnumMap<>(InstallEvent.class);
        for (InstallEvent e : InstallEvent.values()) {
            String name = Names.of(e);
            long clients = call("count the clients of release " + release, () -> redis.pfcount(Keys.reportClients(release, name)));
            tallies.put(e, new Tally(Long.parseLong(counts.getOrDefault(name, "0")), clients));
        }
        return tallies;
    }

    /** The failure reasons reported for a release, with their counts. */
    public Map<String, Long> failureReasons(long release) {
        Map<String, String> counts = call("read the reports of release " + release, () -> redis.hgetAll(Keys.reports(release)));
        Map<String, Long> reasons = new java.util.TreeMap<>();
        counts.forEach((k, v) -> {
            if (k.startsWith("failed:")) {
                reasons.put(k.substring("failed:".length()), Long.parseLong(v));
            }
        });
        return reasons;
    }
}

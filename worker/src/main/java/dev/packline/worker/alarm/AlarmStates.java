package dev.packline.worker.alarm;

import dev.packline.worker.Keys;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.util.Optional;

/**
 * Whether each alarm is firing, since when, and when it was last announced: kept in Redis
 * ({@code pl:alarms}) so whichever worker holds the alarm lock next continues where the last one
 * stopped, and a firing alarm is announced once per cooldown, not once per worker.
 */
final class AlarmStates {

    record State(boolean firing, long sinceMillis, long notifiedMillis) {
        String encode() {
            return firing + "," + sinceMillis + "," + notifiedMillis;
        }

        static State decode(String text) {
            String[] parts = text.split(",");
            return new State(Boolean.parseBoolean(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        }
    }

    private final RMap<String, String> map;

    AlarmStates(RedissonClient redisson) {
        this.map = redisson.getMap(Keys.ALARMS, StringCodec.INSTANCE);
    }

    Optional<State> get(String alarm) {
        return Optional.ofNullable(map.get(alarm)).map(State::decode);
    }

    void put(String alarm, State state) {
        map.fastPut(alarm, state.encode());
    }
}

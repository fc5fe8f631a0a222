package dev.packline.queue;

import java.util.OptionalInt;

/**
 * How one group of a queue version is served: its {@code weight} (a group of weight 2 gets twice
 * the slots of a group of weight 1 while both wait at the same level) and its {@code cap}, the most
 * jobs it may run at once across all workers (empty: no cap). A job of a group at its cap waits
 * without holding up other groups.
 */
public record GroupSettings(int weight, OptionalInt cap) {
    public static final int DEFAULT_WEIGHT = 1;
    public static final int MAX_WEIGHT = 1000;
    public static final GroupSettings DEFAULT = new GroupSettings(DEFAULT_WEIGHT, OptionalInt.empty());

    public GroupSettings {
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("group weight must be 1 to " + MAX_WEIGHT + ", got " + weight);
        }
        if (cap == null) {
            throw new IllegalArgumentException("cap must be a number or empty, not null");
        }
        if (cap.isPresent() && cap.getAsInt() < 1) {
            throw new IllegalArgumentException("group cap must be at least 1 running job, got " + cap.getAsInt());
        }
    }
}

package dev.packline.worker.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code group} label's values, bounded: a queue's groups are publishers on the pipeline's
 * queues but may be any key a producer sets, so only the first {@link #MAX_NAMED} groups a process
 * sees keep their name; later ones are counted as {@code other}, and the default group (no group)
 * is {@code default}. Series per metric stay at most {@code MAX_NAMED + 2} per other label set
 * whatever the producers send.
 */
final class GroupLabels {
    static final int MAX_NAMED = 20;
    static final String OTHER = "other";
    static final String DEFAULT = "default";

    private final Set<String> named = ConcurrentHashMap.newKeySet();

    /** The label value for a group (null or empty: the default group). */
    String label(String group) {
        if (group == null || group.isEmpty()) {
            return DEFAULT;
        }
        if (named.contains(group)) {
            return group;
        }
        synchronized (named) {
            if (named.size() < MAX_NAMED) {
                named.add(group);
                return group;
            }
        }
        return named.contains(group) ? group : OTHER;
    }
}

package dev.packline.queue;

/**
 * What {@link QueueBroker#createFirstVersion} found: the version it created, or the queue as it
 * already stood. {@code version} is null only while another process is still registering the
 * version it just created, or when a queue's versions were all obliterated.
 */
public record FirstVersion(QueueVersion version, Outcome outcome) {

    public enum Outcome {
        /** This call created version 1 and made it current. */
        CREATED,
        /** The queue had a version already (created earlier, or by another process starting at the same time). */
        EXISTED
    }
}

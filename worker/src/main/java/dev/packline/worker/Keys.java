package dev.packline.worker;

/**
 * Every Redis key the worker app itself adds beside the queue's and the pipeline's (ARCHITECTURE.md
 * has the table of all keys). Both are read and written through Redisson, one worker at a time.
 */
public final class Keys {
    /** hash: alarm key -> JSON state (firing since, last sent, resolved), for cooldown and resolution. */
    public static final String ALARMS = "pl:alarms";
    /** Redisson lock: the one worker that evaluates the backlog alarms. */
    public static final String BACKLOG_ALARM_LOCK = "pl:lock:backlog-alarms";

    private Keys() {
    }
}

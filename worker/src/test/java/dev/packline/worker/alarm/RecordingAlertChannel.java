package dev.packline.worker.alarm;

import dev.packline.notify.AlertChannel;
import dev.packline.notify.Alert;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A channel for tests that keeps every alert it is sent, in order, safe to read from any thread. */
public final class RecordingAlertChannel implements AlertChannel {
    private final List<Alert> alerts = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "test";
    }

    @Override
    public void send(Alert alert) {
        alerts.add(alert);
    }

    /** The alerts sent so far (a live view). */
    public List<Alert> alerts() {
        return alerts;
    }
}

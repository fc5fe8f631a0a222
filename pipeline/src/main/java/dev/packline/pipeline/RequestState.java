package dev.packline.pipeline;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a packaging request is: queued until its first job starts, running, then one of the final
 * states. The wire form (the request hash's {@code state} field, the API's JSON, metric labels) is
 * the lower-case name: {@code queued}, {@code running}, {@code done}, {@code partly_failed},
 * {@code failed}, {@code cancelled}.
 */
public enum RequestState {
    QUEUED, RUNNING, DONE, PARTLY_FAILED, FAILED, CANCELLED;

    /** The final states, in the order the API and the metrics list them. */
    public static final List<RequestState> FINAL = List.of(DONE, PARTLY_FAILED, FAILED, CANCELLED);

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return FINAL.contains(this);
    }

    /** Whether a release can be made from a request in this state: it produced its outputs, perhaps not all of them. */
    public boolean producedOutputs() {
        return this == DONE || this == PARTLY_FAILED;
    }

    /** The state named by its wire form; an unknown name is a corrupt record, refused with the name. */
    public static RequestState fromWire(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown request state '" + wire + "'"));
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(RequestState::wire).toList();
    }
}

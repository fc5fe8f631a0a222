package dev.packline.worker.mother;

/** The location can never be fetched as given (not allowed, malformed, missing, too big): retrying cannot help. */
public class MotherRejectedException extends Exception {
    public MotherRejectedException(String message) {
        super(message);
    }
}

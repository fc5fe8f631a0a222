package dev.packline.increments;

/** Why an increment could not be applied; nothing was produced. */
public final class IncrementException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure a client reacts to differently. */
    public enum Kind {
        /** The increment was made for another old file or package: download the full file instead. */
        WRONG_BASE,
        /** The increment is damaged or not of this format. */
        CORRUPT,
        /** Applying gave bytes whose SHA-256 is not the one the increment names. */
        MISMATCH
    }

    private final Kind kind;

    public IncrementException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

package dev.packline.releases;

/** A change to apps or releases that was refused, with why ({@link Refusal}) and a message naming the problem. */
public final class ReleaseException extends RuntimeException {
    private final Refusal refusal;

    public ReleaseException(Refusal refusal, String message) {
        super(message);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}

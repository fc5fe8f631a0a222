package dev.packline.pipeline;

/**
 * What asking to cancel a request did: {@link Kind#ACCEPTED} when it was queued or running (its
 * channels not started yet end as cancelled; {@code state} is the state it was in), or
 * {@link Kind#ALREADY_FINISHED} with the final state it had reached, so nothing changed.
 */
public record Cancellation(Kind kind, RequestState state) {
    public enum Kind { ACCEPTED, ALREADY_FINISHED }
}

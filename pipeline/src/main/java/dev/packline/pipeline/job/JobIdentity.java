package dev.packline.pipeline.job;

import java.util.Optional;

/**
 * What identifies a stage job's work, read leniently from any payload, even one the stage rejected
 * as malformed: dead-letter handling must still end the channel or patch it names, and the alerter
 * and the log context name the request. Each part is empty when the payload lacks it.
 */
public record JobIdentity(Optional<String> requestId, Optional<Integer> index, Optional<String> channel,
                          Optional<String> oldSha256, Optional<String> newSha256) {

    /** The (old, new) mother pair of a diff job, when the payload names both. */
    public Optional<MotherPair> motherPair() {
        return oldSha256.isPresent() && newSha256.isPresent() ? Optional.of(new MotherPair(oldSha256.get(), newSha256.get())) : Optional.empty();
    }

    public record MotherPair(String oldSha256, String newSha256) {
    }
}

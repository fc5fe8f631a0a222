package dev.packline.http.input;

/**
 * The seed and tries of this module's property tests. Fixed, so CI runs the same cases every time;
 * jqwik prints the seed and the shrunk failing case when one fails. To search further, change
 * {@link #SEED} locally (any number) and raise {@link #TRIES}.
 */
final class Fuzz {
    static final String SEED = "20261205";
    static final int TRIES = 2_000;

    private Fuzz() {
    }
}

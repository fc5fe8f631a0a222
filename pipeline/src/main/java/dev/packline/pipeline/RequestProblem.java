package dev.packline.pipeline;

/**
 * One thing wrong with a packaging request: the field it is about ({@code channels[3]},
 * {@code outputStore}) and what is wrong, so the API can name the field without reading it back
 * out of a sentence. {@link #toString()} is the one-line form for logs and exceptions.
 */
public record RequestProblem(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}

package dev.packline.http.input;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a request's body framing can be trusted (RFC 9112 section 6): at most one
 * {@code Content-Length}, made of ASCII digits only, never together with
 * {@code Transfer-Encoding}; a {@code Transfer-Encoding} of exactly {@code chunked}; no
 * {@code Content-Encoding} but {@code identity}. A request that fails is answered at once and its
 * connection closed, since whatever follows it on the connection cannot be told apart from its body.
 */
public final class BodyFraming {
    /** Digits of the largest Content-Length taken seriously (a petabyte); longer is refused as malformed, not parsed. */
    private static final int MAX_LENGTH_DIGITS = 15;

    /** The verdict: the status to answer and the problems, or {@link #TRUSTED}. */
    public record Verdict(int status, List<InputProblem> problems) {
        public static final Verdict TRUSTED = new Verdict(200, List.of());

        public boolean trusted() {
            return problems.isEmpty();
        }

        public InputRefusedException refusal() {
            return new InputRefusedException(status, problems, true);
        }
    }

    private BodyFraming() {
    }

    public static Verdict check(Headers headers) {
        List<InputProblem> problems = new ArrayList<>();
        List<String> lengths = headers.all(HeaderNames.CONTENT_LENGTH, List::of);
        List<String> transfer = headers.all(HeaderNames.TRANSFER_ENCODING, List::of);
        if (lengths.size() > 1) {
            problems.add(InputProblem.invalid("Content-Length", "sent " + lengths.size() + " times; exactly one is allowed"));
        } else if (lengths.size() == 1 && !(AsciiParsers.isDigits(lengths.getFirst()) && lengths.getFirst().length() <= MAX_LENGTH_DIGITS)) {
            problems.add(InputProblem.invalid("Content-Length", "a number of bytes in ASCII digits, got " + AsciiParsers.quote(lengths.getFirst())));
        }
        if (!transfer.isEmpty()) {
            if (!lengths.isEmpty()) {
                problems.add(InputProblem.invalid("Transfer-Encoding", "sent together with Content-Length; send one of them"));
            } else if (transfer.size() > 1 || !transfer.getFirst().equalsIgnoreCase("chunked")) {
                problems.add(InputProblem.invalid("Transfer-Encoding", "only 'chunked' is accepted, got " + AsciiParsers.quote(String.join(", ", transfer))));
            }
        }
        if (!problems.isEmpty()) {
            return new Verdict(400, problems);
        }
        List<String> encodings = headers.all(HeaderNames.CONTENT_ENCODING, List::of);
        if (!encodings.isEmpty() && !(encodings.size() == 1 && encodings.getFirst().equalsIgnoreCase("identity"))) {
            return new Verdict(415, List.of(new InputProblem("Content-Encoding", ProblemKind.UNSUPPORTED_ENCODING,
                    "bodies are read as sent; only 'identity' is accepted, got " + AsciiParsers.quote(String.join(", ", encodings)))));
        }
        return Verdict.TRUSTED;
    }
}

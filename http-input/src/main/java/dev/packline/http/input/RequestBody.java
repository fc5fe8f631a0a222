package dev.packline.http.input;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads a request's body, at most a limit, turning every way the body can fail to arrive into a
 * 4xx: framing that cannot be trusted ({@link BodyFraming}), a declared or actual length over the
 * limit (413), a body shorter than its Content-Length or a malformed chunk (400). The web server
 * would otherwise surface these as exceptions, which a route answers with 500.
 */
public final class RequestBody {
    private RequestBody() {
    }

    /** The body's bytes; {@link InputRefusedException} when it cannot be read whole within {@code maxBytes}. */
    public static byte[] read(ServerRequest req, long maxBytes) {
        BodyFraming.Verdict framing = BodyFraming.check(req.headers());
        if (!framing.trusted()) {
            throw framing.refusal();
        }
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBytes) {
            if (declared.getAsLong() <= drainableBytes(maxBytes)) {
                drain(req);
            }
            throw tooLarge(maxBytes);
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                discardRest(in);
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (DataReader.InsufficientDataAvailableException e) {
            throw cutShort("the connection ended before the body did: shorter than its Content-Length");
        } catch (RequestException e) {
            int status = e.status().code() == 413 ? 413 : 400;
            throw new InputRefusedException(status, List.of(new InputProblem("body",
                    status == 413 ? ProblemKind.BODY_TOO_LARGE : ProblemKind.INVALID_REQUEST,
                    status == 413 ? "larger than the limit of " + maxBytes + " bytes" : "malformed chunked framing")), true);
        } catch (IllegalArgumentException e) {
            // Helidon parses a chunk size with Integer.parseUnsignedInt: '-1' or an empty size line is a NumberFormatException
            throw new InputRefusedException(400, List.of(InputProblem.invalid("body", "malformed chunked framing (a chunk size that is not hex)")), true);
        } catch (IOException | UncheckedIOException e) {
            throw cutShort("could not be read to its end (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * How much of a body over the limit is still read (and thrown away) before the refusal is sent:
     * the web server's own payload limit ({@link HttpLimits#applyTo}). A server that closes a
     * connection with unread bytes in its receive buffer sends a TCP reset, and the client then
     * often loses the 413 it was sent and sees only a broken connection. Reading a moderately
     * oversized body first (a CI script's usual mistake) lets the 413 arrive; bodies larger still are
     * cut at once by the web server.
     */
    public static long drainableBytes(long maxBytes) {
        return maxBytes > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : maxBytes * 4;
    }

    private static void drain(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            discardRest(in);
        } catch (RuntimeException | IOException e) {
            // as below
        }
    }

    private static void discardRest(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (RuntimeException | IOException e) {
            // the body could not be read to its end (over the web server's limit, or cut short): the refusal stands
            // and the connection is closed after it either way
        }
    }

    private static InputRefusedException tooLarge(long maxBytes) {
        return new InputRefusedException(413, List.of(new InputProblem("body", ProblemKind.BODY_TOO_LARGE,
                "larger than the limit of " + maxBytes + " bytes")), true);
    }

    private static InputRefusedException cutShort(String message) {
        return new InputRefusedException(400, List.of(InputProblem.invalid("Content-Length", message)), true);
    }
}

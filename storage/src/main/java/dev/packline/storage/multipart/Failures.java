package dev.packline.storage.multipart;

import dev.packline.storage.StoreErrorKind;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * The classification both dialects share: provider error codes and HTTP statuses first, then the
 * causes of client-side failures (timeouts, refused or reset connections).
 */
public final class Failures {
    private static final Set<String> AUTH = Set.of("accessdenied", "invalidaccesskeyid", "signaturedoesnotmatch",
            "securitytokenexpired", "invalidsecuritytoken", "accountproblem", "inactivekey", "forbidden");
    private static final Set<String> NOT_FOUND = Set.of("nosuchbucket", "nosuchkey", "nosuchupload", "notfound");
    private static final Set<String> THROTTLED = Set.of("slowdown", "throttling", "toomanyrequests", "requestlimitexceeded",
            "qpslimitexceeded", "bandwidthlimitexceeded");
    private static final Set<String> SERVER = Set.of("internalerror", "serviceunavailable", "servererror", "badgateway");
    private static final Set<String> TIMEOUT = Set.of("requesttimeout", "requesttimetooskewed", "sockettimeout", "connectiontimeout");
    private static final Set<String> INTEGRITY = Set.of("invaliddigest", "baddigest", "inconsistentcrc", "invalidpart", "entitytoosmall");

    private Failures() {
    }

    /** By provider error code (case-insensitive) and HTTP status (0 when unknown); null when neither says. */
    public static StoreErrorKind byCode(String code, int status) {
        String c = code == null ? "" : code.toLowerCase(Locale.ROOT);
        if (THROTTLED.contains(c) || status == 429) {
            return StoreErrorKind.THROTTLED;
        }
        if (AUTH.contains(c) || status == 401 || status == 403) {
            return StoreErrorKind.AUTH;
        }
        if (NOT_FOUND.contains(c) || status == 404) {
            return StoreErrorKind.NOT_FOUND;
        }
        if (TIMEOUT.contains(c) || status == 408) {
            return StoreErrorKind.TIMEOUT;
        }
        if (INTEGRITY.contains(c)) {
            return StoreErrorKind.INTEGRITY;
        }
        if (status == 503) {
            return StoreErrorKind.THROTTLED;
        }
        if (SERVER.contains(c) || status >= 500) {
            return StoreErrorKind.SERVER;
        }
        return null;
    }

    /** By the causes of a client-side failure; null when none is recognised. */
    public static StoreErrorKind byCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String type = t.getClass().getSimpleName();
            if (type.contains("Digest") || type.contains("MD5") || type.contains("Md5") || type.contains("Inconsistent")) {
                return StoreErrorKind.INTEGRITY; // e.g. KS3's ClientInvalidDigestException: the ETag is not the MD5 sent
            }
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException && !(t.getCause() instanceof InterruptedException)
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return StoreErrorKind.TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof SocketException || t instanceof UnknownHostException
                    || t.getClass().getSimpleName().equals("NoHttpResponseException")
                    || t.getClass().getSimpleName().equals("ConnectionClosedException")
                    || t.getClass().getSimpleName().equals("TruncatedChunkException")
                    || t.getClass().getSimpleName().equals("MalformedChunkCodingException")
                    || t instanceof java.io.EOFException) {
                return StoreErrorKind.NETWORK;
            }
        }
        return null;
    }
}

package dev.packline.packaging;

/** The input is not a ZIP archive, not an APK, or one of its structures contradicts itself. */
public final class MalformedApkException extends PackagingException {
    private static final long serialVersionUID = 1L;

    public MalformedApkException(String whatIsWrong) {
        super(Problem.MALFORMED_APK, "Malformed APK: " + whatIsWrong);
    }

    public MalformedApkException(String whatIsWrong, Throwable cause) {
        super(Problem.MALFORMED_APK, "Malformed APK: " + whatIsWrong, cause);
    }
}

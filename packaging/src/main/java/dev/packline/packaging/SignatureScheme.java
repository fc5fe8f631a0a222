package dev.packline.packaging;

/** The APK signature schemes Packline recognises, named as apksigner names them. */
public enum SignatureScheme {
    V1("v1"),
    V2("v2"),
    V3("v3"),
    V31("v3.1"),
    V4("v4");

    private final String label;

    SignatureScheme(String label) {
        this.label = label;
    }

    /** "v1", "v2", "v3", "v3.1" or "v4". */
    public String label() {
        return label;
    }
}

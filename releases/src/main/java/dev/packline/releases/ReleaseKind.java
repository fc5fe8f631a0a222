package dev.packline.releases;

/** What a release delivers: a whole APK (one per channel) or a JS bundle that runs on a native shell. */
public enum ReleaseKind {
    APK, BUNDLE
}

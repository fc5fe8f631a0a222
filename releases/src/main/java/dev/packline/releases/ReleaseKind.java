package dev.packline.releases;

/**
 * What a release delivers: a whole APK (one per channel), a JS bundle that runs on a native shell,
 * or an offline package (a zip of H5 resources an app keeps locally).
 */
public enum ReleaseKind {
    APK, BUNDLE, OFFLINE
}

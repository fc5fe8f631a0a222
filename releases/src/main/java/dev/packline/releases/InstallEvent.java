package dev.packline.releases;

/** What a client reports about a release it was offered. */
public enum InstallEvent {
    DOWNLOADED, INSTALLED, FAILED, ROLLED_BACK
}

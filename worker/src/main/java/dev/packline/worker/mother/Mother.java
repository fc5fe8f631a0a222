package dev.packline.worker.mother;

import java.nio.file.Path;

/** A mother APK in the local cache: named by the SHA-256 of its content, so the same bytes are stored once. */
public record Mother(String sha256, Path file, long size) {
}

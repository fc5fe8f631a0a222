package dev.packline.storage;

/** An object as stored: its key, size in bytes and SHA-256 (lowercase hex) of its content. */
public record StoredObject(String key, long size, String sha256) {
}

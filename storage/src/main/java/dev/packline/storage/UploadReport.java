package dev.packline.storage;

/**
 * What an upload did: the object as checked after it was written, how it was written, the bytes
 * that went over the network for it (retries included, copied ranges excluded) and how many parts
 * an earlier, interrupted attempt had already finished.
 */
public record UploadReport(StoredObject stored, UploadMode mode, long bytesSent, int partsReused) {
}

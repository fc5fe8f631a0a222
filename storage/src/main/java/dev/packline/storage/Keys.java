package dev.packline.storage;

/** Every Redis key of the storage library: the multipart upload journal and the staged objects (ARCHITECTURE.md has the table of all keys). */
public final class Keys {
    /** zset: "STORE\nKEY" -> last update ms, for the upload janitor. */
    public static final String UPLOADS = "pl:uploads";

    private Keys() {
    }

    /** zset: object key -> last use ms of what the platform staged in the store ({@link StagedObjects}). */
    public static String staged(String store) {
        return "pl:staged:{" + store + "}";
    }

    /** hash: one multipart upload in progress (upload id, plan, part ETags); the store's name is the hash tag. */
    public static String upload(String store, String objectKey) {
        return "pl:upload:{" + store + "}:" + objectKey;
    }
}

package dev.packline.storage;

class LocalDirectoryStoreTest extends ObjectStoreContract {
    @Override
    ObjectStore store() throws Exception {
        return new LocalDirectoryStore("local", temp.resolve("store"));
    }
}

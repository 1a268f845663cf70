package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.Operation;
import dev.tend.kv.support.FileModes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What the hand-off tests seed and post: a bucket with one key, its slot table opened as another store instance's,
 * put requests, and a slot marked posted as a requester marks it.
 */
final class HandoffRequests {

    private HandoffRequests() {
    }

    /** Creates {@code bucket} (history 3) in the store at {@code root}, with {@code k} = {@code v1}. */
    static void seed(Path root, String bucket) {
        try (EmbeddedKvStore s = TestStores.open(root, new NioStorageIo())) {
            s.create(BucketConfig.builder(bucket).history(3).build());
            s.bucket(bucket).put("k", bytes("v1"));
        }
    }

    /** The slot table of {@code bucket}, opened on its own (as another store instance's). */
    static SlotTable table(Path root, String bucket) throws IOException {
        return SlotTable.open(root.resolve(bucket), FileModes.OWNER);
    }

    /** Marks {@code slot} posted with {@code count} requests in {@code bytes} bytes, whatever its body holds. */
    static void postRaw(SlotTable t, int slot, int count, int bytes) {
        t.setInt(slot, SlotTable.COUNT, count);
        t.setInt(slot, SlotTable.REQUEST_BYTES, bytes);
        t.set(slot, SlotTable.CLAIM_GEN, 0);
        t.set(slot, SlotTable.STATE, SlotTable.POSTED);
    }

    static WriteRequest put(String key, String value) {
        return new WriteRequest(Operation.PUT, key, bytes(value), WriteRequest.Check.NONE, 0);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import dev.tend.kv.StoreException;
import dev.tend.kv.UnknownBucketException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Only creating a bucket creates the store's directory: reads against a mistyped path leave nothing behind. */
class StoreDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void readsDoNotCreateTheStore() {
        Path dir = tmp.resolve("no/such/store");
        try (KvStore store = KvStore.builder().directory(dir).build()) {
            assertThat(store.bucketNames()).isEmpty();
            assertThat(store.exists("CFG")).isFalse();
            assertThatThrownBy(() -> store.bucket("CFG")).isInstanceOf(UnknownBucketException.class);
        }
        assertThat(dir).doesNotExist();
        assertThat(tmp.resolve("no")).doesNotExist();
    }

    @Test
    void creatingABucketCreatesTheStore() {
        Path dir = tmp.resolve("new/store");
        try (KvStore store = KvStore.builder().directory(dir).build()) {
            store.create(BucketConfig.builder("CFG").build()).put("k", "v");
            assertThat(store.bucketNames()).containsExactly("CFG");
        }
        assertThat(dir.resolve("CFG")).isDirectory();
    }

    @Test
    void aFileWhereTheStoreShouldBeIsAClearError() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> KvStore.builder().directory(file).build()).isInstanceOf(StoreException.class)
                .hasMessageContaining("exists and is not a directory");
    }
}

package dev.tend.kv.backup;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A value longer than Jackson's default string limit (20 million characters in base64) backs up and reads back. */
class LargeValueBackupTest {

    @Test
    void aLargeValueRoundTrips(@TempDir Path tmp) {
        byte[] big = new byte[24 << 20];
        new Random(7).nextBytes(big);
        try (KvStore store = KvStore.builder().directory(tmp.resolve("store")).build()) {
            Bucket b = store.create(BucketConfig.builder("BIG").build());
            b.put("big", big);
            BucketBackup.write(b, tmp.resolve("backup"));
        }
        Backup backup = BucketBackup.read(tmp.resolve("backup"));
        List<Entry> entries = new ArrayList<>();
        backup.entries().forEach(entries::add);
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).value()).isEqualTo(big);
    }
}

package dev.tend.cli.kv;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import dev.tend.kv.backup.Backup;
import dev.tend.kv.backup.BucketBackup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Iterator;

/** {@code tend kv restore DIR [--bucket NAME]}: creates a bucket from a backup. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Creates a bucket from a backup made by backup; the bucket must not exist.")
final class KvRestore extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "DIR")
    Path dir;

    @Option(names = "--bucket", paramLabel = "NAME", description = "Restore under this name (default: the original).")
    String bucket;

    @Override
    public Integer call() {
        if (bucket != null) {
            Names.checkBucketName(bucket);
        }
        Backup backup = BucketBackup.read(dir);
        BucketConfig config = backup.config();
        Iterable<Entry> entries = backup.entries();
        if (bucket != null && !bucket.equals(config.name())) {
            String name = bucket;
            config = new BucketConfig(name, config.description(), config.history(), config.ttl(),
                    config.maxValueSize(), config.maxBucketSize(), config.replicas(), config.storage(),
                    config.mirror());
            Iterable<Entry> original = entries;
            entries = () -> {
                Iterator<Entry> it = original.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Entry next() {
                        Entry e = it.next();
                        return new Entry(name, e.key(), e.value(), e.revision(), e.created(), e.delta(),
                                e.operation());
                    }
                };
            };
        }
        try (KvStore store = openStore()) {
            store.restore(config, entries);
        }
        out().println("Restored bucket " + config.name() + " from " + backup.dir() + ": " + backup.entryCount()
                + (backup.entryCount() == 1 ? " entry" : " entries") + ", last revision " + backup.lastRevision());
        out().flush();
        return 0;
    }
}

package dev.tend.cli.kv;

import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import dev.tend.kv.backup.BackupSummary;
import dev.tend.kv.backup.BucketBackup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** {@code tend kv backup BUCKET DIR}: a portable copy of a bucket, restorable into either backend. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Writes a portable copy of a bucket (config and every retained entry) into DIR, its files for "
                + "their owner only, or for the group too with store mode group.")
final class KvBackup extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Parameters(index = "1", paramLabel = "DIR")
    Path dir;

    @Option(names = {"-f", "--force"}, description = "Replace a backup already in DIR.")
    boolean force;

    @Override
    public Integer call() {
        Names.checkBucketName(bucket);
        BackupSummary s;
        try (KvStore store = openStore()) {
            s = BucketBackup.write(store.bucket(bucket), dir, force, kv.storeMode());
        }
        out().println("Backed up bucket " + s.bucket() + " to " + s.dir() + ": " + s.entries()
                + (s.entries() == 1 ? " entry, " : " entries, ") + s.bytes() + " bytes, last revision "
                + s.lastRevision());
        out().flush();
        return 0;
    }
}

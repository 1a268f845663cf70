package dev.tend.cli.kv;

import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tend kv update BUCKET KEY VALUE --revision N}: compare-and-set on the key's latest revision. */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = "Stores a value only if the key's latest revision is N (0: the key has no entries);"
                + " - reads stdin.")
final class KvUpdate extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Parameters(index = "1", paramLabel = "KEY")
    String key;

    @Parameters(index = "2", paramLabel = "VALUE", description = "The value, or - to read it from stdin.")
    String value;

    @Option(names = "--revision", paramLabel = "N", required = true,
            description = "The revision the key's latest entry must have.")
    long revision;

    @Override
    public Integer call() {
        Names.checkBucketName(bucket);
        Names.checkKey(key);
        if (revision < 0) {
            throw new InvalidInputException("--revision must be 0 or more, not " + revision);
        }
        byte[] bytes = value(value);
        try (KvStore store = openStore()) {
            store.bucket(bucket).update(key, bytes, revision);
        }
        printValue(bytes);
        return 0;
    }
}

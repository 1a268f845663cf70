package dev.tend.cli.kv;

import dev.tend.kv.Bucket;
import dev.tend.kv.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tend kv update BUCKET KEY VALUE --revision N}: compare-and-set on the key's latest revision. */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = "Stores a value only if the key's latest revision is N (0: the key has no entries);"
                + " - reads stdin.")
final class KvUpdate extends KvValueWrite {

    @Option(names = "--revision", paramLabel = "N", required = true,
            description = "The revision the key's latest entry must have.")
    long revision;

    @Override
    void validate() {
        if (revision < 0) {
            throw new InvalidInputException("--revision must be 0 or more, not " + revision);
        }
    }

    @Override
    void write(Bucket bucket, String key, byte[] value) {
        bucket.update(key, value, revision);
    }
}

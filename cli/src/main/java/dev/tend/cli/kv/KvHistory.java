package dev.tend.cli.kv;

import dev.tend.cli.output.Json;
import dev.tend.cli.output.Table;
import dev.tend.cli.output.TimeFormat;
import dev.tend.cli.output.Values;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import dev.tend.kv.UnknownKeyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code tend kv history BUCKET KEY}: every retained entry of a key, oldest first. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Shows every retained entry of a key, oldest first, delete and purge markers included.")
final class KvHistory extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Parameters(index = "1", paramLabel = "KEY")
    String key;

    @Option(names = "--json", description = "Write the entries as a JSON array.")
    boolean json;

    @Override
    public Integer call() {
        Names.checkBucketName(bucket);
        Names.checkKey(key);
        List<Entry> history;
        try (KvStore store = openStore()) {
            history = store.bucket(bucket).history(key);
        }
        if (history.isEmpty()) {
            throw new UnknownKeyException(bucket, key);
        }
        if (json) {
            out().println(Json.pretty(Json.entries(history)));
        } else {
            TimeFormat times = times();
            Table table = new Table("Seq", "Operation", "Time", "Length", "Value");
            for (Entry e : history) {
                table.row(e.revision(), e.operation().name(), times.table(e.created()), e.value().length,
                        Values.shorten(Values.display(e.value(), false)));
            }
            table.print(out());
        }
        out().flush();
        return 0;
    }
}

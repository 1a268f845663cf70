package dev.tend.cli.kv;

import dev.tend.cli.output.Json;
import dev.tend.cli.output.Table;
import dev.tend.cli.output.Values;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.KvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code tend kv ls}: every bucket with its history setting and value count. */
@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
        description = "Lists the buckets with their history setting and value counts.")
final class KvLs extends KvSubcommand {

    @Option(names = "--json", description = "Write the buckets as a JSON array of info objects.")
    boolean json;

    @Override
    public Integer call() {
        List<BucketStatus> list;
        try (KvStore store = openStore()) {
            list = store.list();
        }
        if (json) {
            out().println(Json.pretty(Json.buckets(list)));
        } else if (list.isEmpty()) {
            out().println("No buckets found");
        } else {
            Table table = new Table("Bucket", "History", "Values");
            for (BucketStatus s : list) {
                table.row(s.name(), s.config().history(), s.values());
            }
            table.print(out());
        }
        out().flush();
        return 0;
    }
}

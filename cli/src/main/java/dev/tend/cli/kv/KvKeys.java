package dev.tend.cli.kv;

import dev.tend.cli.output.Json;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code tend kv keys BUCKET [FILTER]}: the keys holding a value, sorted. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Lists the keys that hold a value, sorted; FILTER may use * (one token) and > (the rest).")
final class KvKeys extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Parameters(index = "1", paramLabel = "FILTER", arity = "0..1")
    String filter;

    @Option(names = "--json", description = "Write the keys as a JSON array.")
    boolean json;

    @Override
    public Integer call() {
        Names.checkBucketName(bucket);
        if (filter != null) {
            KeyFilter.of(filter);
        }
        List<String> keys;
        try (KvStore store = openStore()) {
            keys = store.bucket(bucket).keys(filter == null ? List.of() : List.of(filter));
        }
        if (json) {
            out().println(Json.pretty(Json.strings(keys)));
        } else {
            // One write: println on the auto-flushing stdout would make a system call per key (100,000 for a
            // bucket of 100,000 keys).
            StringBuilder text = new StringBuilder(keys.size() * 16);
            String newline = System.lineSeparator();
            for (String key : keys) {
                text.append(key).append(newline);
            }
            out().print(text);
        }
        out().flush();
        return 0;
    }
}

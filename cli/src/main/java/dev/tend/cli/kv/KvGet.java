package dev.tend.cli.kv;

import dev.tend.cli.output.Json;
import dev.tend.cli.output.Values;
import dev.tend.kv.Entry;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import dev.tend.kv.NotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;

/** {@code tend kv get BUCKET KEY}: the key's value with a header, raw, or as JSON. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Shows a key's value.")
final class KvGet extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Parameters(index = "1", paramLabel = "KEY")
    String key;

    @Option(names = "--raw", description = "Write only the value's bytes, with no newline.")
    boolean raw;

    @Option(names = "--json", description = "Write the entry as JSON.")
    boolean json;

    @Option(names = "--revision", paramLabel = "N", description = "The value at this revision.")
    Long revision;

    @Override
    public Integer call() {
        Names.checkBucketName(bucket);
        Names.checkKey(key);
        if (raw && json) {
            throw new InvalidInputException("--raw and --json cannot be used together");
        }
        if (revision != null && revision < 1) {
            throw new InvalidInputException("--revision must be 1 or more, not " + revision);
        }
        Entry e;
        try (KvStore store = openStore()) {
            var b = store.bucket(bucket);
            e = revision == null ? b.getExisting(key)
                    : b.get(key, revision).orElseThrow(() -> new NotFoundException("no value of key \"" + key
                    + "\" at revision " + revision + " in bucket " + bucket));
        }
        if (raw) {
            ctx().writeBytes(e.value());
        } else if (json) {
            out().println(Json.pretty(Json.entry(e)));
        } else {
            out().println(e.bucket() + " > " + e.key() + " revision " + e.revision() + " created @ "
                    + times().table(e.created()));
            boolean printable = Values.isPrintable(e.value(), true);
            if (!printable) {
                out().println("(the value is not printable: " + e.value().length
                        + " bytes shown as base64; use --raw for the bytes)");
            }
            out().println();
            String shown = printable ? new String(e.value(), StandardCharsets.UTF_8) : Values.base64(e.value());
            out().print(shown);
            if (!shown.endsWith("\n")) {
                out().println();
            }
        }
        out().flush();
        return 0;
    }
}

package dev.tend.cli.kv;

import dev.tend.cli.output.Json;
import dev.tend.cli.store.StoreLocator;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tend kv info BUCKET} (alias {@code status}): the bucket's settings and what it holds. */
@Command(name = "info", aliases = "status", mixinStandardHelpOptions = true,
        description = "Shows a bucket's settings, what it holds, and the store in use.")
final class KvInfo extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Option(names = "--json", description = "Write the information as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Names.checkBucketName(bucket);
        StoreLocator.Selection selection = kv.selection();
        BucketStatus status;
        String url;
        try (KvStore store = openStore()) {
            status = store.bucket(bucket).status();
            url = store.url();
        }
        if (json) {
            out().println(Json.pretty(Json.bucket(status)));
        } else {
            String source = selection.source().equals("--store") ? "" : " (from " + selection.source() + ")";
            out().print(InfoBlock.render(status, url + source));
        }
        out().flush();
        return 0;
    }
}

package dev.tend.cli.kv;

import dev.tend.cli.command.ErrorLine;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.store.ConnectionSettings;
import dev.tend.cli.store.NatsFlags;
import dev.tend.cli.store.StoreLocator;
import dev.tend.cli.store.StoreModeSetting;
import dev.tend.kv.Entry;
import dev.tend.kv.KvException;
import dev.tend.kv.KvStore;
import dev.tend.kv.KvStoreBuilder;
import dev.tend.kv.Names;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code tend kv [--store URL] get BUCKET KEY --raw} without picocli. Scripts call it in loops, and building
 * picocli's command model costs more than the read itself. Only that exact shape is served here; any other
 * (help, another option, a mistake) goes through picocli's {@code kv get}, which gives the same result.
 */
public final class KvGetRaw {
    private final String store;
    private final String bucket;
    private final String key;

    private KvGetRaw(String store, String bucket, String key) {
        this.store = store;
        this.bucket = bucket;
        this.key = key;
    }

    /** The command when {@code args} has exactly the plain shape, else null. */
    public static KvGetRaw parse(String[] args) {
        List<String> a = List.of(args);
        if (a.isEmpty() || !a.get(0).equals("kv")) {
            return null;
        }
        String store = null;
        String bucket = null;
        String key = null;
        boolean get = false;
        boolean raw = false;
        for (int i = 1; i < a.size(); i++) {
            String s = a.get(i);
            if (s.equals("--store") && store == null && i + 1 < a.size()) {
                store = a.get(++i);
            } else if (s.startsWith("--store=") && store == null) {
                store = s.substring("--store=".length());
            } else if (s.equals("get") && !get) {
                get = true;
            } else if (s.equals("--raw") && get && !raw) {
                raw = true;
            } else if (!s.startsWith("-") && get && bucket == null) {
                bucket = s;
            } else if (!s.startsWith("-") && get && key == null) {
                key = s;
            } else {
                return null;
            }
        }
        if (!get || !raw || key == null || (store != null && store.isBlank())) {
            return null;
        }
        return new KvGetRaw(store, bucket, key);
    }

    /**
     * Runs the command as picocli's {@code kv get} would: the value on {@code binaryOut}, or an error as one line
     * on {@code err}; returns the exit status.
     */
    public int execute(StoreLocator locator, PrintWriter out, OutputStream binaryOut, PrintWriter err) {
        try {
            run(locator, out, binaryOut, w -> {
                err.println("tend: " + w);
                err.flush();
            });
            return ExitCodes.OK;
        } catch (KvException e) {
            return report(err, e.getMessage(), e);
        } catch (RuntimeException e) {
            return report(err, "internal error: " + e + " (run with --debug for details)", e);
        }
    }

    private static int report(PrintWriter err, String message, RuntimeException e) {
        err.println("tend: " + ErrorLine.of(message));
        err.flush();
        return ExitCodes.of(e);
    }

    /**
     * Writes the key's value bytes, no newline; the store's exceptions say why not. A NATS store gets the
     * connection settings of the environment and config files (this shape has no connection flags); warnings
     * about them go to {@code warn}.
     */
    public void run(StoreLocator locator, PrintWriter out, OutputStream binaryOut, Consumer<String> warn) {
        Names.checkBucketName(bucket);
        Names.checkKey(key);
        Entry e;
        String url = locator.select(store).url();
        // Only a NATS store reads the nats: settings, so a file store's fast path loads no YAML for them; and only a
        // file store its mode, in case a read creates a file (a snapshot written on close).
        KvStoreBuilder builder = KvStore.builder().url(url);
        if (ConnectionSettings.isNats(url)) {
            builder.connection(ConnectionSettings.resolve(locator.env(), NatsFlags.none(), warn));
        } else {
            builder.storeMode(StoreModeSetting.resolve(null, locator.env(), locator.configFiles()));
        }
        try (KvStore s = builder.build()) {
            e = s.bucket(bucket).getExisting(key);
        }
        out.flush();
        try {
            binaryOut.write(e.value());
            binaryOut.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

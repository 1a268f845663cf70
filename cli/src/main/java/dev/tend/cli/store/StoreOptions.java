package dev.tend.cli.store;

import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.KvStore;
import dev.tend.kv.StoreMode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.util.Map;

/**
 * The options that choose a store and reach it, mixed into every command family that works on the store
 * ({@code tend kv}, {@code tend governor}) and inherited by their subcommands: {@code --store}, {@code --store-mode}
 * and the NATS connection flags ({@link NatsFlags}); and the store they select, opened as {@code tend kv} opens it.
 * Unset options are null: the environment and the config files fill them ({@link StoreLocator},
 * {@link StoreModeSetting}, {@link ConnectionSettings}).
 */
public final class StoreOptions {

    @Option(names = "--store", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The store: file:///path (or a path) or nats://host:4222. Default: TEND_STORE, the config "
                    + "file's store:, /var/lib/tend/kv when accessible, else ~/.local/share/tend/kv.")
    String store;

    @Option(names = StoreModeSetting.OPTION, paramLabel = "owner|group", scope = ScopeType.INHERIT,
            description = "Who may read and write the embedded store's files Tend creates: owner (0600, directories "
                    + "0700) or group (0660, 2770). Default: TEND_STORE_MODE, the config file's store_mode:, owner.")
    String storeMode;

    @Mixin
    NatsFlags nats = NatsFlags.none();

    /** Resolved once per command, so that a warning about the config file is printed once. */
    private ConnectionOptions connection;

    /**
     * Sets {@code --store} (or {@code --store-mode}, when {@code option} is {@link StoreModeSetting#OPTION}) as
     * picocli would, for a fast path that parses without it; false when it was given already (picocli's error, then).
     */
    public boolean set(String option, String value) {
        if (option.equals("--store")) {
            if (store != null) {
                return false;
            }
            store = value;
        } else {
            if (storeMode != null) {
                return false;
            }
            storeMode = value;
        }
        return true;
    }

    /** The store to use and where that choice came from. */
    public StoreLocator.Selection selection(Map<String, String> env) {
        return new StoreLocator(env).select(store);
    }

    /** Who may read and write the files Tend creates: option, environment, config files. */
    public StoreMode storeMode(Map<String, String> env) {
        return StoreModeSetting.resolve(storeMode, env, new StoreLocator(env).configFiles());
    }

    /** The NATS connection settings: flags, environment, config files; warnings go to {@code err} as tend's lines. */
    public ConnectionOptions connection(Map<String, String> env, PrintWriter err) {
        if (connection == null) {
            connection = ConnectionSettings.resolve(env, nats, w -> {
                err.println("tend: " + w);
                err.flush();
            });
        }
        return connection;
    }

    /**
     * Opens the selected store: with the NATS connection settings when it is a nats:// one, else with the store
     * mode. The caller closes it.
     */
    public KvStore open(Map<String, String> env, PrintWriter err) {
        String url = selection(env).url();
        if (ConnectionSettings.isNats(url)) {
            return KvStore.builder().url(url).connection(connection(env, err)).build();
        }
        return KvStore.builder().url(url).storeMode(storeMode(env)).build();
    }
}

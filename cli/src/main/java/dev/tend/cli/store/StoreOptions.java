package dev.tend.cli.store;

import dev.tend.kv.KvStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.util.Map;

/**
 * The store options of a command group that works on the store {@code tend kv} uses ({@code tend governor},
 * {@code tend fleet}), inherited by its subcommands: {@code --store}, {@code --store-mode} and the NATS connection
 * flags, and opening the store they select.
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

    /** The store URL the options, the environment and the config files select. */
    public String url(Map<String, String> env) {
        return new StoreLocator(env).select(store).url();
    }

    /** The NATS flags given, for a connection of the command's own (machine events). */
    public NatsFlags natsFlags() {
        return nats;
    }

    /**
     * Opens the selected store, as {@code tend kv} does: with the NATS connection settings when it is a nats:// one
     * (warnings about the config file go to {@code err}), else with the store mode. The caller closes it.
     */
    public KvStore open(Map<String, String> env, PrintWriter err) {
        String url = url(env);
        if (ConnectionSettings.isNats(url)) {
            return KvStore.builder().url(url).connection(ConnectionSettings.resolve(env, nats, w -> {
                err.println("tend: " + w);
                err.flush();
            })).build();
        }
        return KvStore.builder().url(url).storeMode(StoreModeSetting.resolve(storeMode, env,
                new StoreLocator(env).configFiles())).build();
    }
}

package dev.tend.cli.settings;

import java.util.List;
import java.util.Set;

/**
 * The settings of {@code tend.yaml} (docs/configuration.md): those resolved here with a flag and an environment
 * variable each, and the names of every top-level key the commands read, for {@code tend config}'s warning about a
 * key no command reads and for the sample file's test.
 */
public final class ConfigKeys {

    public static final ConfigKey STORE = new ConfigKey("store", "--store", "TEND_STORE",
            "a URL, e.g. file:///var/lib/tend/kv");
    public static final ConfigKey STORE_MODE = new ConfigKey("store_mode", "--store-mode", "TEND_STORE_MODE",
            "owner or group");
    public static final ConfigKey EVENTS_PREFIX = new ConfigKey("events_prefix", "--events-prefix",
            "TEND_EVENTS_PREFIX", "a subject prefix");
    public static final ConfigKey MACHINES = new ConfigKey("machines", "--machines", "TEND_MACHINES", "a directory");
    public static final ConfigKey STATE = new ConfigKey("state", "--state", "TEND_STATE", "a directory");
    public static final ConfigKey SOCKET = new ConfigKey("socket", "--socket", "TEND_SOCKET", "a path");
    public static final ConfigKey PLUGINS = new ConfigKey("plugins", "--plugins", "TEND_PLUGINS", "a directory");
    public static final ConfigKey FACTS = new ConfigKey("facts", "--facts", "TEND_FACTS",
            "a file (JSON or YAML)");
    public static final ConfigKey IDENTITY = new ConfigKey("identity", "--identity", "TEND_IDENTITY", "a name");
    public static final ConfigKey LISTEN = new ConfigKey("listen", "--listen", "TEND_LISTEN", "HOST:PORT");
    public static final ConfigKey LOG_LEVEL = new ConfigKey("log.level", "--log-level", "TEND_LOG_LEVEL",
            "error, warn, info, debug or trace");
    public static final ConfigKey LOG_FORMAT = new ConfigKey("log.format", "--log-format", "TEND_LOG_FORMAT",
            "text or json");

    /** Every top-level key a command reads from {@code tend.yaml}. */
    public static final Set<String> TOP_LEVEL = Set.of("store", "store_mode", "nats", "events_prefix", "machines",
            "state", "socket", "plugins", "facts", "identity", "listen", "log",
            "plugin.machines.download", "plugin.machines.bucket", "plugin.machines.key",
            "plugin.machines.signing_key", "plugin.machines.check_interval", "plugin.machines.purge",
            "plugin.machines.target", "plugin.choria.machine.signing_key");

    /** The settings {@code tend config} shows with their sources, in its order. */
    public static final List<ConfigKey> SHOWN = List.of(STORE, STORE_MODE, EVENTS_PREFIX, MACHINES, STATE, SOCKET,
            PLUGINS, FACTS, IDENTITY, LISTEN, LOG_LEVEL, LOG_FORMAT);

    private ConfigKeys() {
    }
}

package dev.tend.watchers.plugins;

/**
 * The {@code plugins} watcher type: reads a signed specification (a base64 JSON list of machines, signed with ed25519)
 * from a machine data item, and writes one manager machine {@code <prefix>_<name>} per item that matches this node,
 * whose {@code archive} watcher downloads and keeps the machine (docs/watchers.md, section {@code plugins}).
 */
public final class PluginsWatcherFactory extends ManagerFactory {

    public static final String TYPE = "plugins";

    public PluginsWatcherFactory() {
        super(SpecForm.PLUGINS);
    }
}

package dev.tend.machine.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where an agent's things live by default (docs/machines.md, "Where things live"): system locations when the process
 * runs as root, the XDG base directories of the user otherwise. Command-line flags override each through the
 * {@code with...} methods.
 *
 * <table>
 * <caption>Defaults</caption>
 * <tr><th>What</th><th>root</th><th>user</th></tr>
 * <tr><td>machines</td><td>/etc/tend/machines</td><td>$XDG_CONFIG_HOME/tend/machines (~/.config)</td></tr>
 * <tr><td>KV store</td><td>/var/lib/tend/kv</td><td>$XDG_DATA_HOME/tend/kv (~/.local/share)</td></tr>
 * <tr><td>state (machine data, events file)</td><td>/var/lib/tend</td><td>$XDG_STATE_HOME/tend (~/.local/state)</td></tr>
 * <tr><td>control socket</td><td>/run/tend/agent.sock</td><td>$XDG_RUNTIME_DIR/tend/agent.sock, else in the state
 * directory</td></tr>
 * <tr><td>config file</td><td>/etc/tend/tend.yaml</td><td>$XDG_CONFIG_HOME/tend/tend.yaml</td></tr>
 * <tr><td>plugin jars</td><td>/usr/lib/tend/plugins</td><td>$XDG_DATA_HOME/tend/plugins</td></tr>
 * </table>
 *
 * <p>An XDG variable counts only when it is an absolute path, as the XDG specification says; otherwise its standard
 * fallback under {@code $HOME} is used.
 *
 * @param root     whether these are the system's locations (the process runs as root)
 * @param machines the machines directory: one sub directory per machine
 * @param store    the embedded KV store's directory
 * @param state    machine data ({@code machines/<name>/machine_data.json}) and the events file
 * @param socket   the control socket
 * @param config   the config file
 * @param plugins  the directory of watcher plugin jars
 */
public record AgentPaths(boolean root, Path machines, Path store, Path state, Path socket, Path config, Path plugins) {

    public AgentPaths {
        Objects.requireNonNull(machines, "machines");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(plugins, "plugins");
    }

    /** The defaults for this process: root's when it runs as root, else the user's from {@code env}. */
    public static AgentPaths defaults(Map<String, String> env) {
        return defaults(isRoot(), env);
    }

    /** The defaults for root, or for the user described by {@code env} ({@code HOME}, {@code XDG_*}). */
    public static AgentPaths defaults(boolean root, Map<String, String> env) {
        if (root) {
            return new AgentPaths(true, Path.of("/etc/tend/machines"), Path.of("/var/lib/tend/kv"),
                    Path.of("/var/lib/tend"), Path.of("/run/tend/agent.sock"), Path.of("/etc/tend/tend.yaml"),
                    Path.of("/usr/lib/tend/plugins"));
        }
        Path home = home(env);
        Path config = xdg(env, "XDG_CONFIG_HOME", home.resolve(".config")).resolve("tend");
        Path data = xdg(env, "XDG_DATA_HOME", home.resolve(".local/share")).resolve("tend");
        Path state = xdg(env, "XDG_STATE_HOME", home.resolve(".local/state")).resolve("tend");
        String runtime = env.get("XDG_RUNTIME_DIR");
        // Without XDG_RUNTIME_DIR (no login session, e.g. cron or su) the socket goes to the user's own state
        // directory rather than a shared one such as /tmp, where another user could take its name first.
        Path socket = runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute()
                ? Path.of(runtime).resolve("tend").resolve("agent.sock") : state.resolve("agent.sock");
        return new AgentPaths(false, config.resolve("machines"), data.resolve("kv"), state, socket,
                config.resolve("tend.yaml"), data.resolve("plugins"));
    }

    public AgentPaths withMachines(Path value) {
        return new AgentPaths(root, value, store, state, socket, config, plugins);
    }

    public AgentPaths withStore(Path value) {
        return new AgentPaths(root, machines, value, state, socket, config, plugins);
    }

    public AgentPaths withState(Path value) {
        return new AgentPaths(root, machines, store, value, socket, config, plugins);
    }

    public AgentPaths withSocket(Path value) {
        return new AgentPaths(root, machines, store, state, value, config, plugins);
    }

    public AgentPaths withConfig(Path value) {
        return new AgentPaths(root, machines, store, state, socket, value, plugins);
    }

    public AgentPaths withPlugins(Path value) {
        return new AgentPaths(root, machines, store, state, socket, config, value);
    }

    /** The events file in the state directory. */
    public Path eventsFile() {
        return state.resolve("events.jsonl");
    }

    /**
     * Whether this process runs with effective uid 0. {@code /proc/self} belongs to the process's effective user on
     * Linux; elsewhere the user name is the best there is.
     */
    public static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (uid instanceof Integer n) {
                return n == 0;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            // Not Linux, or no unix view: fall through.
        }
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    private static Path xdg(Map<String, String> env, String name, Path fallback) {
        String value = env.get(name);
        return value != null && !value.isBlank() && Path.of(value).isAbsolute() ? Path.of(value) : fallback;
    }
}

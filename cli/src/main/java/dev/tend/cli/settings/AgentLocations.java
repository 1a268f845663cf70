package dev.tend.cli.settings;

import dev.tend.kv.InvalidInputException;
import dev.tend.machine.NodeIdentity;
import dev.tend.machine.agent.AgentPaths;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where an agent's things are and who it is, as {@code tend agent} runs with them and the commands that talk to it or
 * share its files find them ({@code machine list|info|transition|events}, the Scout verbs, {@code machine run}):
 * {@code machines}, {@code state}, {@code socket}, {@code plugins}, {@code facts} and {@code identity}, each from its
 * flag, {@code TEND_<KEY>}, the config files ({@link SettingLookup}), else the default of {@link AgentPaths} (root's
 * or the user's), no facts file, and the host name.
 */
public final class AgentLocations {

    private final SettingLookup lookup;
    private final AgentPaths defaults;

    public AgentLocations(SettingLookup lookup, AgentPaths defaults) {
        this.lookup = lookup;
        this.defaults = defaults;
    }

    /** The locations of this process's user (root's as root) in this environment and its config files. */
    public static AgentLocations of(Map<String, String> env) {
        return new AgentLocations(SettingLookup.of(env), AgentPaths.defaults(env));
    }

    public Sourced<Path> machines(Path flag) {
        return path(ConfigKeys.MACHINES, flag, defaults.machines());
    }

    public Sourced<Path> state(Path flag) {
        return path(ConfigKeys.STATE, flag, defaults.state());
    }

    public Sourced<Path> socket(Path flag) {
        return path(ConfigKeys.SOCKET, flag, defaults.socket());
    }

    public Sourced<Path> plugins(Path flag) {
        return path(ConfigKeys.PLUGINS, flag, defaults.plugins());
    }

    /** The facts file; its value is null when none is set (the machines see no facts). */
    public Sourced<Path> facts(Path flag) {
        return path(ConfigKeys.FACTS, flag, null);
    }

    /**
     * The node's identity, by default the host name.
     *
     * @throws InvalidInputException when the flag is blank ({@code --identity needs a name})
     */
    public Sourced<String> identity(String flag) {
        if (flag != null && flag.isBlank()) {
            throw new InvalidInputException(ConfigKeys.IDENTITY.option() + " needs a name");
        }
        return lookup.text(ConfigKeys.IDENTITY, flag)
                .orElseGet(() -> new Sourced<>(NodeIdentity.hostName(), Source.defaults()));
    }

    /** The agent's paths: each flag given (or null), else its setting, else the default. */
    public AgentPaths paths(Path machinesFlag, Path stateFlag, Path socketFlag, Path pluginsFlag) {
        return defaults.withMachines(machines(machinesFlag).value())
                .withState(state(stateFlag).value())
                .withSocket(socket(socketFlag).value())
                .withPlugins(plugins(pluginsFlag).value());
    }

    private Sourced<Path> path(ConfigKey key, Path flag, Path otherwise) {
        return lookup.path(key, flag).orElseGet(() -> new Sourced<>(otherwise, Source.defaults()));
    }
}

package dev.tend.cli.command;

import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.agent.AgentException;
import dev.tend.machine.agent.Plugins;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The {@code --plugins DIR} option of the commands that read machine files without running them ({@code machine
 * validate}, {@code machine graph}, {@code machine schema}, {@code fleet pack}): they know the same watcher types as the agent, the built-in ones and those of the
 * plugin jars, so a machine the agent accepts is valid here too.
 */
public final class WatcherTypes {

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "Watcher plugin jars, as the agent's. Default: TEND_PLUGINS, the config file's plugins:, "
                    + "/usr/lib/tend/plugins as root, else ~/.local/share/tend/plugins.")
    Path plugins;

    /**
     * The plugins loaded for one command; closing releases their class loader.
     *
     * @param configured the directory when {@code --plugins} is not given: the agent's ({@code TEND_PLUGINS}, the
     *                   config file's {@code plugins:}, else its default)
     */
    public Plugins load(Path configured) {
        Path dir = plugins != null ? plugins : configured;
        try {
            return Plugins.load(dir, WatcherTypes.class.getClassLoader());
        } catch (AgentException e) {
            throw new CommandException(ExitCodes.FAILURE, e.getMessage(), e);
        }
    }

    /** For tests and callers that hold no plugins: the types on the class path only. */
    public static WatcherRegistry builtIn() {
        return WatcherRegistry.load(WatcherTypes.class.getClassLoader());
    }
}

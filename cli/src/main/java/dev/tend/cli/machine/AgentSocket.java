package dev.tend.cli.machine;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.settings.AgentLocations;
import dev.tend.machine.control.ControlClient;
import dev.tend.machine.control.ControlException;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code --socket} option of the commands that talk to a running agent, and how their errors read: the agent's
 * message as is, with the exit status of its kind (no agent listening is a failure, 3).
 */
final class AgentSocket {

    @Option(names = "--socket", paramLabel = "PATH",
            description = "The agent's control socket. Default: TEND_SOCKET, the config file's socket:, "
                    + "/run/tend/agent.sock as root, else "
                    + "$XDG_RUNTIME_DIR/tend/agent.sock (without XDG_RUNTIME_DIR: ~/.local/state/tend/agent.sock).")
    Path socket;

    /** A client of the socket given, else the agent's ({@code TEND_SOCKET}, {@code socket:}, the default). */
    ControlClient client(Map<String, String> env) {
        return new ControlClient(socket != null ? socket : AgentLocations.of(env).socket(null).value());
    }

    /** The command's error for a failed request. */
    static CommandException error(ControlException e) {
        int status = switch (e.code()) {
            // An event not valid in the machine's state is, for the operator, a transition that does not exist there.
            case NOT_FOUND, INVALID -> ExitCodes.NOT_FOUND;
            case FAILURE, NO_AGENT -> ExitCodes.FAILURE;
        };
        return new CommandException(status, e.getMessage(), e);
    }
}

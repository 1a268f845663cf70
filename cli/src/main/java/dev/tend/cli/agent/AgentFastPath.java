package dev.tend.cli.agent;

import dev.tend.cli.command.PlainArgs;
import dev.tend.cli.command.PlainArgs.Shape;
import dev.tend.cli.store.EventsOnNats;
import dev.tend.cli.store.StoreModeSetting;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * {@code tend agent} in its plain shape ({@link PlainArgs}) made without picocli, as the short commands' fast paths
 * make theirs: the same {@link AgentCommand} with the fields picocli would set, run unchanged. A process that runs for
 * months holds what its start leaves behind: picocli's path loads picocli's classes (which no class-data-sharing
 * archive can hold: they are Java 5 class files) and keeps the model of every {@code kv} and {@code machine} command
 * for as long as the agent runs. Any other shape (help, the NATS flags, {@code --debug}, a value picocli converts
 * in its own way, a mistake) is left to picocli. picocli's annotations stay the definition of every option:
 * {@code AgentFastPathTest} checks {@link #SHAPE} against picocli's model, that both paths set the same fields, and
 * that they answer and fail alike.
 */
public final class AgentFastPath {

    /** The options served: every option of {@code tend agent} but help and the NATS connection flags. */
    static final Shape SHAPE = new Shape(Set.of("--insecure-permissions", "--manage-machines", "--noop",
            "--resume-state"),
            Set.of("--machines", "--store", StoreModeSetting.OPTION, "--facts", "--overrides", "--identity", "--state",
                    "--plugins", "--socket", EventsOnNats.PREFIX_OPTION, "--blocking-threads", "--textfile-dir",
                    "--machines-bucket", "--machines-key", "--machines-signing-key", "--machines-check-interval",
                    "--machines-purge", "--machines-target", ListenSetting.OPTION),
            0, 0);

    /** Digits of the largest {@code --blocking-threads} read here; a longer number is picocli's (an int overflows). */
    private static final int MAX_INT_DIGITS = 9;

    private AgentFastPath() {
    }

    /**
     * The command {@code args} (the whole command line, {@code agent} first) runs, ready to call, or null when it is
     * not the plain shape served here.
     */
    public static AgentCommand parse(String[] args, Map<String, String> env) {
        if (args.length == 0 || !args[0].equals("agent")) {
            return null;
        }
        PlainArgs a = PlainArgs.parse(args, 1, SHAPE);
        if (a == null) {
            return null;
        }
        AgentCommand command = new AgentCommand(env);
        try {
            command.machines = path(a.value("--machines"));
            command.state = path(a.value("--state"));
            command.plugins = path(a.value("--plugins"));
            command.socket = path(a.value("--socket"));
            command.facts = path(a.value("--facts"));
            command.overrides = path(a.value("--overrides"));
            command.textfileDir = path(a.value("--textfile-dir"));
            command.machinesTarget = path(a.value("--machines-target"));
        } catch (InvalidPathException e) {
            return null; // picocli's converter reports it
        }
        command.store = a.value("--store");
        command.storeMode = a.value(StoreModeSetting.OPTION);
        command.identity = a.value("--identity");
        command.eventsPrefix = a.value(EventsOnNats.PREFIX_OPTION);
        command.listen = a.value(ListenSetting.OPTION);
        String threads = a.value("--blocking-threads");
        if (threads != null) {
            Long n = threads.length() > MAX_INT_DIGITS ? null : PlainArgs.plainLong(threads);
            if (n == null) {
                return null;
            }
            command.blockingThreads = n.intValue();
        }
        command.insecurePermissions = a.has("--insecure-permissions");
        command.manageMachines = a.has("--manage-machines");
        command.noop = a.has("--noop");
        command.resumeState = a.has("--resume-state");
        command.machinesBucket = a.value("--machines-bucket");
        command.machinesKey = a.value("--machines-key");
        command.machinesSigningKey = a.value("--machines-signing-key");
        command.machinesCheckInterval = a.value("--machines-check-interval");
        command.machinesPurge = a.value("--machines-purge");
        return command;
    }

    /** As picocli's converter reads a path ({@code Paths.get}); null for an option not given. */
    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }
}

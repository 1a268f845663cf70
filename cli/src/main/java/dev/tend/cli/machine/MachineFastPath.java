package dev.tend.cli.machine;

import dev.tend.cli.command.PlainArgs;
import dev.tend.cli.command.PlainArgs.Shape;
import dev.tend.machine.control.ClientStartup;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code tend machine list}, {@code info} and {@code transition} in their plain shape ({@link PlainArgs}), made
 * without picocli as {@code dev.tend.cli.kv.KvFastPath} makes the kv commands: the same command objects with the
 * fields picocli would set, run unchanged, the JDK's socket support readied meanwhile ({@link ClientStartup}) while the
 * command reads and prints a sample answer into nothing ({@link SampleAnswers}). Any
 * other shape is left to picocli; {@code MachineFastPathTest} checks the table against picocli's model and that both
 * paths answer and fail alike.
 */
public final class MachineFastPath {

    private static final Map<String, String> ALIASES = Map.of("ls", "list");

    /** The subcommands served, by canonical name, with the arguments each accepts after its name. */
    static final Map<String, Shape> SHAPES = Map.of(
            "list", new Shape(Set.of("--json"), Set.of("--socket"), 0, 0),
            "info", new Shape(Set.of("--json"), Set.of("--socket"), 1, 1),
            "transition", new Shape(Set.of("--json"), Set.of("--socket"), 2, 2));

    private MachineFastPath() {
    }

    /**
     * The command {@code args} (the whole command line, {@code machine} first) runs, ready to call, or null when it
     * is not one of the plain shapes served here.
     */
    public static Callable<Integer> parse(String[] args, Map<String, String> env, PrintWriter out) {
        if (args.length < 2 || !args[0].equals("machine")) {
            return null;
        }
        String name = ALIASES.getOrDefault(args[1], args[1]);
        Shape shape = SHAPES.get(name);
        if (shape == null) {
            return null;
        }
        PlainArgs a = PlainArgs.parse(args, 2, shape);
        if (a == null) {
            return null;
        }
        // The command will connect to the agent: the JDK readies its socket support meanwhile.
        ClientStartup.begin();
        AgentSocket agent = new AgentSocket();
        String socket = a.value("--socket");
        agent.socket = socket == null ? null : Path.of(socket);
        List<String> p = a.positional();
        switch (name) {
            case "list" -> {
                MachineList l = new MachineList(env);
                l.agent = agent;
                l.json = a.has("--json");
                l.out = out;
                l.rehearse = true;
                return l;
            }
            case "info" -> {
                MachineInfo i = new MachineInfo(env);
                i.agent = agent;
                i.name = p.get(0);
                i.json = a.has("--json");
                i.out = out;
                i.rehearse = true;
                return i;
            }
            default -> {
                MachineTransition t = new MachineTransition(env);
                t.agent = agent;
                t.name = p.get(0);
                t.event = p.get(1);
                t.json = a.has("--json");
                t.out = out;
                t.rehearse = true;
                return t;
            }
        }
    }
}

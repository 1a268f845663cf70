package dev.tend.cli.machine;

import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.command.HelpSubcommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code tend machine}: validate, draw and run machines, and talk to a running agent. */
@Command(name = "machine",
        mixinStandardHelpOptions = true,
        description = "Autonomous agents: finite state machines from machine.yaml files.")
public final class MachineCommand implements Callable<Integer> {

    /** The subcommands in the order help lists them, each made from the environment (registered in code as kv's are). */
    private static final Map<String, Function<Map<String, String>, Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Function<Map<String, String>, Object>> subcommands() {
        Map<String, Function<Map<String, String>, Object>> m = new LinkedHashMap<>();
        m.put("validate", MachineValidate::new);
        m.put("graph", MachineGraph::new);
        m.put("schema", MachineSchemaCommand::new);
        m.put("run", MachineRun::new);
        m.put("list", MachineList::new);
        m.put("info", MachineInfo::new);
        m.put("transition", MachineTransition::new);
        m.put("maintenance", ScoutTransition.Maintenance::new);
        m.put("resume", ScoutTransition.Resume::new);
        m.put("check", ScoutTransition.Check::new);
        m.put("events", MachineEvents::new);
        return Collections.unmodifiableMap(m);
    }

    @Spec
    CommandSpec spec;

    /** The {@code machine} command line with every subcommand. */
    public static CommandLine commandLine(Map<String, String> env, String[] args) {
        CommandLine machine = new CommandLine(new MachineCommand());
        machine.addSubcommand(new HelpSubcommand());
        SUBCOMMANDS.values().forEach(s -> machine.addSubcommand(s.apply(env)));
        return machine;
    }

    /** {@code tend machine} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}

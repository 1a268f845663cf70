package dev.tend.cli.machine;

import dev.tend.cli.command.WatcherTypes;
import dev.tend.cli.settings.AgentLocations;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.output.Json;
import dev.tend.machine.agent.Plugins;
import dev.tend.machine.load.MachineSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tend machine schema}: the JSON Schema of machine.yaml for the watcher types this tend has, for editors. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Prints the JSON Schema (draft-07) of machine.yaml for the watcher types this tend knows.")
final class MachineSchemaCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    WatcherTypes watcherTypes;

    private final Map<String, String> env;

    MachineSchemaCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        try (Plugins types = watcherTypes.load(AgentLocations.of(env).plugins(null).value())) {
            spec.commandLine().getOut().println(Json.pretty(MachineSchema.of(types.registry())));
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}

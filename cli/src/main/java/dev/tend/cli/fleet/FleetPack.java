package dev.tend.cli.fleet;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.cli.command.WatcherTypes;
import dev.tend.cli.settings.AgentLocations;
import dev.tend.cli.output.Json;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.agent.Plugins;
import dev.tend.machine.load.MachineLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tend fleet pack MACHINE_DIR [-o FILE]}: validates the machine, packs it ({@link MachinePacker}) and prints the
 * archive's SHA-256 and its {@code SHA256SUMS}'s, a specification's {@code checksum} and {@code verify_checksum}.
 */
@Command(name = "pack", mixinStandardHelpOptions = true,
        description = {"Validates a machine directory and packs it as a reproducible tar.gz (the same bytes for the "
                + "same files) of one directory named as the machine, with a SHA256SUMS file inside, as the archive "
                + "watcher installs it.",
                "Prints the archive's SHA-256 (a specification's checksum) and the SHA256SUMS file's (its "
                        + "verify_checksum)."})
final class FleetPack implements Callable<Integer> {

    @ParentCommand
    FleetCommand parent;

    @Mixin
    WatcherTypes watcherTypes;

    @Parameters(paramLabel = "MACHINE_DIR", description = "The machine's directory (with its machine.yaml).")
    Path dir;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write the archive. Default: NAME-VERSION.tar.gz in the current directory.")
    Path output;

    @Option(names = {"-j", "--json"}, description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        FleetContext context = parent.context();
        MachineDefinition machine;
        MachinePacker.Packed packed;
        try (Plugins types = watcherTypes.load(AgentLocations.of(context.env()).plugins(null).value())) {
            MachinePacker packer = new MachinePacker(new MachineLoader(types.registry()));
            machine = packer.validate(dir, context.err());
            Path target = output != null ? output : Path.of(machine.name() + "-" + machine.version() + ".tar.gz");
            packed = packer.pack(dir, machine.name(), target);
        }
        print(context.out(), machine, packed, json);
        return 0;
    }

    static void print(PrintWriter out, MachineDefinition machine, MachinePacker.Packed packed, boolean json) {
        if (json) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("name", machine.name());
            o.put("version", machine.version());
            o.put("archive", packed.archive().toString());
            o.put("bytes", packed.bytes());
            o.put("checksum", packed.checksum());
            o.put("verify_checksum", packed.verifyChecksum());
            out.println(Json.pretty(o));
        } else {
            out.println("Packed machine " + machine.name() + " " + machine.version() + " into " + packed.archive()
                    + " (" + packed.bytes() + " bytes)");
            out.println("        checksum: " + packed.checksum());
            out.println(" verify_checksum: " + packed.verifyChecksum());
        }
        out.flush();
    }
}

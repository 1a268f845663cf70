package dev.tend.cli.machine;

import dev.tend.cli.command.WatcherTypes;
import dev.tend.cli.settings.AgentLocations;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.output.Json;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.Problem;
import dev.tend.machine.agent.Plugins;
import dev.tend.machine.load.MachineFileLoader;
import dev.tend.machine.load.MachineLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code tend machine validate DIR|FILE...}: the JSON Schema and every semantic check of each machine file. Errors go
 * to stderr as {@code file:line: ...}, warnings as {@code warning: file:line: ...}, a valid machine to stdout as
 * {@code DIR: valid machine NAME VERSION}. Exit 0 when all are valid, 2 (a validation error) when any is not, else 1
 * when a path does not exist or is a directory without a machine.yaml (not found). With {@code --strict} a warning is
 * an error (printed and counted as one), for CI.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks machine files (JSON Schema and every semantic rule) and prints all their problems.")
final class MachineValidate implements Callable<Integer> {

    /** The exit status when a machine is invalid: a validation error, as {@code tend --help} lists. */
    static final int INVALID = ExitCodes.USAGE;

    @Spec
    CommandSpec spec;

    @Mixin
    WatcherTypes watcherTypes;

    private final Map<String, String> env;

    MachineValidate(Map<String, String> env) {
        this.env = env;
    }

    @Parameters(paramLabel = "DIR|FILE", arity = "1..*",
            description = "Machine directories (with a machine.yaml) or machine files.")
    List<Path> paths;

    @Option(names = "--json", description = "Write the results as JSON.")
    boolean json;

    @Option(names = "--strict",
            description = "Treat warnings (unknown keys, states with no way out, ...) as errors (exit 2), for CI.")
    boolean strict;

    @Override
    public Integer call() {
        List<MachineLoader.Validation> results = new ArrayList<>();
        try (Plugins types = watcherTypes.load(AgentLocations.of(env).plugins(null).value())) {
            MachineLoader loader = new MachineLoader(types.registry());
            for (Path path : paths) {
                MachineLoader.Validation v = loader.validate(path);
                results.add(strict ? strict(v) : v);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (json) {
            out.println(Json.pretty(json(results)));
        } else {
            for (int i = 0; i < paths.size(); i++) {
                MachineLoader.Validation v = results.get(i);
                v.errors().forEach(err::println);
                v.warnings().forEach(w -> err.println("warning: " + w));
                if (v.isValid()) {
                    MachineDefinition d = v.definition().orElseThrow();
                    out.println(paths.get(i) + ": valid machine " + d.name() + " " + d.version());
                }
            }
        }
        out.flush();
        err.flush();
        return status(paths, results);
    }

    /** 0 when every machine is valid; 2 when one that exists is not; else 1: a path names no machine file. */
    static int status(List<Path> paths, List<MachineLoader.Validation> results) {
        boolean notFound = false;
        for (int i = 0; i < paths.size(); i++) {
            if (!results.get(i).isValid()) {
                if (!missing(paths.get(i))) {
                    return INVALID;
                }
                notFound = true;
            }
        }
        return notFound ? ExitCodes.NOT_FOUND : ExitCodes.OK;
    }

    /** True when {@code path} does not exist, or is a directory without a machine.yaml. */
    static boolean missing(Path path) {
        return !Files.exists(path)
                || Files.isDirectory(path) && !Files.exists(path.resolve(MachineFileLoader.FILE_NAME));
    }

    /** The validation with its warnings as errors. */
    private static MachineLoader.Validation strict(MachineLoader.Validation v) {
        if (v.warnings().isEmpty()) {
            return v;
        }
        List<Problem> errors = new ArrayList<>(v.errors());
        errors.addAll(v.warnings());
        errors.sort(Comparator.comparingInt(Problem::line));
        return new MachineLoader.Validation(v.file(), Optional.empty(), errors, List.of());
    }

    /** {@code [{"path", "valid", "errors": [{"file", "line", "where", "message"}], "warnings": [...]}]} */
    private ArrayNode json(List<MachineLoader.Validation> results) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < paths.size(); i++) {
            MachineLoader.Validation v = results.get(i);
            ObjectNode o = array.addObject();
            o.put("path", paths.get(i).toString());
            o.put("valid", v.isValid());
            problems(o.putArray("errors"), v.errors());
            problems(o.putArray("warnings"), v.warnings());
        }
        return array;
    }

    private static void problems(ArrayNode array, List<Problem> problems) {
        for (Problem p : problems) {
            array.addObject()
                    .put("file", p.file().toString())
                    .put("line", p.line())
                    .put("where", p.where())
                    .put("message", p.message());
        }
    }
}

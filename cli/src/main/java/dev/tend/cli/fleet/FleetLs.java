package dev.tend.cli.fleet;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.command.PublicKeyOption;
import dev.tend.cli.output.Json;
import dev.tend.cli.output.Table;
import dev.tend.cli.output.TimeFormat;
import dev.tend.fleet.spec.PluginItem;
import dev.tend.fleet.spec.PluginSpec;
import dev.tend.fleet.spec.SpecException;
import dev.tend.fleet.spec.VerifyKey;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Operation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code tend fleet ls}: the machines of the published specification and whether its signature verifies with the
 * public key given. A signature that does not verify is printed and the exit status is 3, after the list.
 */
@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
        description = {"Lists the machines of the published specification (name, source, checksum, match, governor) "
                + "and checks its signature with --public-key."})
final class FleetLs implements Callable<Integer> {

    @ParentCommand
    FleetCommand parent;

    @Mixin
    SpecLocation location;

    @Option(names = "--public-key", paramLabel = "HEX|FILE",
            description = "The public key to verify the signature with, in hex or a file holding it (tend fleet "
                    + "keygen's " + FleetKeygen.PUBLIC + "). Without it the signature is not checked.")
    String publicKey;

    @Option(names = {"-j", "--json"}, description = "Print the specification as JSON.")
    boolean json;

    @Override
    public Integer call() {
        VerifyKey key = publicKey == null ? null : PublicKeyOption.read("--public-key", publicKey);
        Entry entry;
        try (KvStore store = parent.open()) {
            Optional<Entry> found = store.bucket(location.bucket).get(location.key);
            if (found.isEmpty() || found.get().operation() != Operation.PUT) {
                throw new CommandException(ExitCodes.NOT_FOUND, "no specification at " + location
                        + " (tend fleet publish writes it)");
            }
            entry = found.get();
        }
        PluginSpec spec;
        List<PluginItem> items;
        try {
            spec = PluginSpec.fromData(new String(entry.value(), StandardCharsets.UTF_8));
            items = spec.items();
        } catch (SpecException e) {
            throw new CommandException(ExitCodes.FAILURE, location + " (revision " + entry.revision() + ") is not a "
                    + "usable specification: " + e.getMessage(), e);
        }
        String problem = null;
        if (key != null) {
            try {
                spec.verify(key);
            } catch (SpecException e) {
                problem = e.getMessage();
            }
        }
        PrintWriter out = parent.context().out();
        if (json) {
            out.println(Json.pretty(json(entry, items, key, problem)));
        } else {
            out.println("Specification " + location + ", revision " + entry.revision() + ", written "
                    + TimeFormat.from(parent.context().env()).table(entry.created()));
            out.println("Signature: " + (key == null ? (spec.signature().isEmpty() ? "none" : "not checked (no "
                    + "--public-key)") : problem == null ? "verified with " + key.hex() : "DOES NOT VERIFY"));
            Table table = new Table("Name", "Source", "Checksum", "Match", "Governor");
            for (PluginItem i : items) {
                table.row(i.name(), i.source(), i.checksum(), i.match(), i.governor());
            }
            table.print(out);
        }
        out.flush();
        if (problem != null) {
            throw new CommandException(ExitCodes.FAILURE, problem);
        }
        return ExitCodes.OK;
    }

    private ObjectNode json(Entry entry, List<PluginItem> items, VerifyKey key, String problem) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("bucket", location.bucket);
        o.put("key", location.key);
        o.put("revision", entry.revision());
        o.put("created", TimeFormat.rfc3339(entry.created()));
        ObjectNode signature = o.putObject("signature");
        if (key == null) {
            signature.putNull("verified");
        } else {
            signature.put("verified", problem == null);
            signature.put("public_key", key.hex());
            if (problem != null) {
                signature.put("error", problem);
            }
        }
        var array = o.putArray("machines");
        for (PluginItem i : items) {
            array.addObject()
                    .put("name", i.name())
                    .put("source", i.source())
                    .put("checksum", i.checksum())
                    .put("verify_checksum", i.verifyChecksum())
                    .put("match", i.match())
                    .put("governor", i.governor())
                    .put("username", i.username());
        }
        return o;
    }
}

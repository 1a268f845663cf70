package dev.tend.cli.governor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.cli.output.Json;
import dev.tend.cli.output.Table;
import dev.tend.cli.output.TimeFormat;
import dev.tend.governor.Claim;
import dev.tend.governor.Governor;
import dev.tend.governor.GovernorConfig;
import dev.tend.kv.KvStore;
import dev.tend.units.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** {@code tend governor view NAME}: a governor's settings and who holds which slot, since when. */
@Command(name = "view", aliases = {"info", "show"}, mixinStandardHelpOptions = true,
        description = "Shows a governor's settings and who holds which slot, since when.")
final class GovernorView extends GovernorSubcommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The governor.")
    String name;

    @Option(names = {"-j", "--json"}, description = "Print JSON: the settings and a \"slots\" array.")
    boolean json;

    @Override
    public Integer call() {
        try (KvStore store = openStore()) {
            Governor governor = governors(store).governor(name);
            GovernorConfig config = governor.config();
            int replicas = governor.replicas();
            List<Claim> claims = governor.claims();
            Instant now = Instant.now();
            if (json) {
                printJson(config, replicas, claims, now);
            } else {
                printText(config, replicas, claims, now);
            }
        }
        return 0;
    }

    private void printText(GovernorConfig config, int replicas, List<Claim> claims, Instant now) {
        PrintWriter out = out();
        out.printf("Configuration for Governor %s%n", name);
        out.println();
        out.printf("       Capacity: %d%n", config.capacity());
        out.printf("        Expires: %s%n", Durations.format(config.expire()));
        out.printf("       Replicas: %d%n", replicas);
        out.printf("  Active Leases: %d%n", claims.size());
        out.println();
        if (!claims.isEmpty()) {
            TimeFormat times = times();
            Table table = new Table("Slot", "Holder", "Since", "Age");
            for (Claim claim : claims) {
                table.row(claim.slot(), claim.holder(), times.table(claim.since()),
                        age(claim, now) + (claim.expired() ? " (expired)" : ""));
            }
            table.print(out);
        }
        out.flush();
    }

    private void printJson(GovernorConfig config, int replicas, List<Claim> claims, Instant now) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("governor", name);
        root.put("capacity", config.capacity());
        root.put("expire", Durations.format(config.expire()));
        root.put("replicas", replicas);
        root.put("active", claims.size());
        ArrayNode slots = root.putArray("slots");
        for (Claim claim : claims) {
            ObjectNode slot = slots.addObject();
            slot.put("slot", claim.slot());
            slot.put("holder", claim.holder());
            slot.put("since", TimeFormat.rfc3339(claim.since()));
            slot.put("age", age(claim, now));
            slot.put("expired", claim.expired());
            slot.put("revision", claim.revision());
        }
        out().println(Json.pretty(root));
        out().flush();
    }

    /** The claim's age to the millisecond, as a Go duration; 0s when the store's time is ahead of ours. */
    private static String age(Claim claim, Instant now) {
        Duration age = Duration.between(claim.since(), now);
        return Durations.format(age.isNegative() ? Duration.ZERO : age.truncatedTo(ChronoUnit.MILLIS));
    }
}

package dev.tend.cli.governor;

import dev.tend.cli.output.Json;
import dev.tend.cli.output.Table;
import dev.tend.governor.Governor;
import dev.tend.governor.GovernorConfig;
import dev.tend.governor.Governors;
import dev.tend.governor.UnknownGovernorException;
import dev.tend.kv.KvStore;
import dev.tend.units.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code tend governor ls}: the governors of the store. */
@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
        description = "Lists the governors with their capacity, hold time and slots held.")
final class GovernorLs extends GovernorSubcommand {

    @Option(names = {"-j", "--json"}, description = "Print the names as a JSON array.")
    boolean json;

    @Override
    public Integer call() {
        try (KvStore store = openStore()) {
            Governors governors = governors(store);
            List<String> names = governors.names();
            if (json) {
                out().println(Json.pretty(Json.strings(names)));
                out().flush();
                return 0;
            }
            if (names.isEmpty()) {
                out().println("No governors found");
                out().flush();
                return 0;
            }
            Table table = new Table("Name", "Capacity", "Expires", "Active");
            for (String name : names) {
                try {
                    Governor governor = governors.governor(name);
                    GovernorConfig config = governor.config();
                    table.row(name, config.capacity(), Durations.format(config.expire()), governor.claims().size());
                } catch (UnknownGovernorException removedMeanwhile) {
                    // removed since the list was read, or a GOVERNOR_ bucket without a config: not a governor
                }
            }
            table.print(out());
        }
        return 0;
    }
}

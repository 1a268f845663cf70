package dev.tend.cli.governor;

import dev.tend.governor.Governor;
import dev.tend.governor.Governors;
import dev.tend.kv.KvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tend governor rm NAME}: removes a governor and its claims. */
@Command(name = "rm", aliases = "delete", mixinStandardHelpOptions = true,
        description = "Removes a governor and its claims (asking first).")
final class GovernorRm extends GovernorSubcommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The governor.")
    String name;

    @Option(names = {"-f", "--force"}, description = "Do not ask for confirmation.")
    boolean force;

    @Override
    public Integer call() {
        try (KvStore store = openStore()) {
            Governors governors = governors(store);
            Governor governor = governors.governor(name);
            int active = governor.claims().size();
            if (confirm(force, "Really remove governor " + name + " with " + active + " active lease"
                    + (active == 1 ? "" : "s"), "remove governor " + name)) {
                governors.delete(name);
            }
        }
        return 0;
    }
}

package dev.tend.cli.governor;

import dev.tend.governor.Claim;
import dev.tend.governor.Governor;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Optional;

/** {@code tend governor evict NAME SLOT}: frees a slot whoever holds it. */
@Command(name = "evict", mixinStandardHelpOptions = true,
        description = {"Frees a slot of a governor whoever holds it (asking first).",
                "Its holder goes on running; its release later frees nothing."})
final class GovernorEvict extends GovernorSubcommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The governor.")
    String name;

    @Parameters(index = "1", paramLabel = "SLOT", description = "The slot's number, as tend governor view shows it.")
    int slot;

    @Option(names = {"-f", "--force"}, description = "Do not ask for confirmation.")
    boolean force;

    @Override
    public Integer call() {
        if (slot < 1) {
            throw new InvalidInputException("a slot number is 1 or more, not " + slot);
        }
        try (KvStore store = openStore()) {
            Governor governor = governors(store).governor(name);
            if (!confirm(force, "Evict slot " + slot + " of " + name, "evict slot " + slot + " of " + name)) {
                return 0;
            }
            Optional<Claim> evicted = governor.evict(slot);
            if (evicted.isPresent()) {
                out().printf("Evicted \"%s\" from slot %d%n", evicted.get().holder(), slot);
            } else {
                out().printf("Slot %d of %s is not held%n", slot, name);
            }
            out().flush();
        }
        return 0;
    }
}

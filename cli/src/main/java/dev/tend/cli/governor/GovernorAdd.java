package dev.tend.cli.governor;

import dev.tend.cli.command.DurationConverter;
import dev.tend.governor.Governor;
import dev.tend.governor.GovernorConfig;
import dev.tend.governor.Governors;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KvStore;
import dev.tend.units.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;

/** {@code tend governor add NAME CAPACITY [EXPIRE [REPLICAS]]}: creates a governor or changes its settings. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Adds a governor, or updates an existing one's capacity and hold time (asking first).",
                "Positional EXPIRE and REPLICAS are accepted as choria governor add takes them."})
final class GovernorAdd extends GovernorSubcommand {

    /** A new governor's hold time when none is given. */
    static final Duration DEFAULT_EXPIRE = Duration.ofHours(1);

    @Parameters(index = "0", paramLabel = "NAME", description = "The governor's name: A-Z, a-z, 0-9, '-' and '_'.")
    String name;

    @Parameters(index = "1", paramLabel = "CAPACITY", description = "How many may hold a slot at once (1 to 10000).")
    int capacity;

    @Parameters(index = "2", arity = "0..1", paramLabel = "EXPIRE", converter = DurationConverter.class,
            description = "The same as --expire.")
    Duration expireArgument;

    @Parameters(index = "3", arity = "0..1", paramLabel = "REPLICAS", description = "The same as --replicas.")
    Integer replicasArgument;

    @Option(names = "--expire", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The hold time: a slot held longer is taken over by the next claimant (at least 1s). "
                    + "Default: the existing governor's, else 1h.")
    Duration expire;

    @Option(names = "--replicas", paramLabel = "N",
            description = "Copies of the governor's bucket a NATS cluster keeps (1 to 5), when it is created. "
                    + "Default: 1.")
    Integer replicas;

    @Option(names = {"-f", "--force"}, description = "Update an existing governor without asking.")
    boolean force;

    @Override
    public Integer call() {
        Duration hold = either("expire", expireArgument, expire);
        Integer copies = either("replicas", replicasArgument, replicas);
        try (KvStore store = openStore()) {
            Governors governors = governors(store);
            Governor governor;
            if (governors.exists(name)) {
                governor = governors.governor(name);
                GovernorConfig existing = governor.config();
                GovernorConfig desired = new GovernorConfig(capacity, hold == null ? existing.expire() : hold);
                if (!desired.equals(existing)) {
                    PrintWriter out = out();
                    out.println("Existing configuration:");
                    out.println();
                    out.printf("  Capacity: %d desired: %d%n", existing.capacity(), desired.capacity());
                    out.printf("   Expires: %s desired: %s%n", Durations.format(existing.expire()),
                            Durations.format(desired.expire()));
                    out.println();
                    out.flush();
                    if (confirm(force, "Update configuration for " + name, "update governor " + name)) {
                        governor = governors.add(name, desired, governor.replicas());
                    }
                }
            } else {
                governor = governors.add(name, new GovernorConfig(capacity, hold == null ? DEFAULT_EXPIRE : hold),
                        copies == null ? 1 : copies);
            }
            print(governor);
        }
        return 0;
    }

    private void print(Governor governor) {
        GovernorConfig config = governor.config();
        PrintWriter out = out();
        out.println("Configuration:");
        out.println();
        out.printf("  Capacity: %d%n", config.capacity());
        out.printf("   Expires: %s%n", Durations.format(config.expire()));
        out.printf("  Replicas: %d%n", governor.replicas());
        out.println();
        out.flush();
    }

    private static <T> T either(String what, T positional, T option) {
        if (positional != null && option != null) {
            throw new InvalidInputException("the " + what + " is given twice: as an argument and as --" + what);
        }
        return positional != null ? positional : option;
    }
}

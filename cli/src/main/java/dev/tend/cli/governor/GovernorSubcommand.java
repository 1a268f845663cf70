package dev.tend.cli.governor;

import dev.tend.cli.output.TimeFormat;
import dev.tend.governor.Governors;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KvStore;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** What every {@code governor} subcommand shares: the store, the governors on it, output, confirmations. */
abstract class GovernorSubcommand implements Callable<Integer> {

    @ParentCommand
    GovernorCommand parent;

    PrintWriter out() {
        return parent.context().out();
    }

    KvStore openStore() {
        return parent.open();
    }

    static Governors governors(KvStore store) {
        return Governors.builder(store).build();
    }

    TimeFormat times() {
        return TimeFormat.from(parent.context().env());
    }

    /**
     * Asks for confirmation unless {@code force}: true to go on, false when the user said no (after printing
     * {@code Skipping}). With no terminal to ask on it refuses, as a usage error (as {@code tend kv rm}).
     */
    boolean confirm(boolean force, String question, String what) {
        if (force) {
            return true;
        }
        Boolean answer = parent.context().confirmation().confirm(question);
        if (answer == null) {
            throw new InvalidInputException("not confirmed: cannot ask whether to " + what
                    + " without a terminal; add -f to do it without asking");
        }
        if (!answer) {
            out().println("Skipping");
            out().flush();
        }
        return answer;
    }
}

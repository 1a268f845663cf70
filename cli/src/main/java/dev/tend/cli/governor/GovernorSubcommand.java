package dev.tend.cli.governor;

import dev.tend.cli.command.Prompter;
import dev.tend.cli.output.TimeFormat;
import dev.tend.governor.Governors;
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

    /** Asks for confirmation unless {@code force}, as {@code tend kv rm} does ({@link Prompter}). */
    boolean confirm(boolean force, String question, String what) {
        return parent.context().prompter().confirm(force, question, what, out());
    }
}

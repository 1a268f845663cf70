package dev.tend.cli.kv;

import dev.tend.cli.command.Prompter;
import dev.tend.cli.output.TimeFormat;
import dev.tend.cli.output.Values;
import dev.tend.kv.KvStore;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** What every {@code kv} subcommand shares: its context, the store, values from arguments or stdin, prompts. */
abstract class KvSubcommand implements Callable<Integer> {

    @ParentCommand
    KvCommand kv;

    KvContext ctx() {
        return kv.context();
    }

    PrintWriter out() {
        return kv.context().out();
    }

    KvStore openStore() {
        return kv.open();
    }

    TimeFormat times() {
        return TimeFormat.from(ctx().env());
    }

    /** The value argument's bytes; {@code -} reads every byte of standard input. */
    byte[] value(String arg) {
        if (arg.equals("-")) {
            try {
                return ctx().in().readAllBytes();
            } catch (IOException e) {
                throw new dev.tend.kv.KvException("cannot read the value from standard input: " + e.getMessage(), e);
            }
        }
        return arg.getBytes(StandardCharsets.UTF_8);
    }

    /** Asks for confirmation unless {@code force}, as every command that destroys does ({@link Prompter}). */
    boolean confirm(boolean force, String question, String what) {
        return ctx().prompter().confirm(force, question, what, out());
    }

    /**
     * Prints the value as put shows it (an echo): text, or base64 when it is not printable, and a newline unless the
     * text ends with one already (a value read from stdin usually does).
     */
    void printValue(byte[] value) {
        String shown = Values.display(value, true);
        out().print(shown);
        if (!shown.endsWith("\n")) {
            out().println();
        }
        out().flush();
    }
}

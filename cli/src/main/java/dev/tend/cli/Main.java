package dev.tend.cli;

import dev.tend.cli.kv.KvContext;
import dev.tend.cli.kv.KvGetRaw;
import dev.tend.cli.command.Prompter;
import dev.tend.cli.store.StoreLocator;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The {@code tend} command: {@code java -jar tend.jar ...}; {@code bin/tend} starts it as
 * {@code java -cp tend.jar dev.tend.cli.Main ...}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty(LogbackStatusListener.PROPERTY) == null) {
            System.setProperty(LogbackStatusListener.PROPERTY, LogbackStatusListener.class.getName());
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        KvGetRaw fast = KvGetRaw.parse(args);
        if (fast != null) {
            // The shape scripts call in loops, served before the Cli class (and with it picocli) is even loaded.
            int status = fast.execute(new StoreLocator(System.getenv()), out, System.out, err);
            out.flush();
            err.flush();
            System.exit(status);
        }
        Callable<Integer> command = FastPath.parse(args, new KvContext(System.getenv(), System.in, out, System.out,
                err, Prompter.console()));
        if (command != null) {
            // The short commands (FastPath): made and run without picocli, answering as picocli's path does.
            int status = FastPath.run(command, err);
            out.flush();
            err.flush();
            System.exit(status);
        }
        Cli cli = new Cli(out, err, System.getenv());
        System.exit(cli.execute(args));
    }
}

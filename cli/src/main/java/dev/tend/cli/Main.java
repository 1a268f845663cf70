package dev.tend.cli;

import java.io.PrintWriter;

/** The {@code tend} command: {@code java -jar tend.jar ...}, normally started by {@code bin/tend}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty(LogbackStatusListener.PROPERTY) == null) {
            System.setProperty(LogbackStatusListener.PROPERTY, LogbackStatusListener.class.getName());
        }
        Cli cli = new Cli(new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv());
        System.exit(cli.execute(args));
    }
}

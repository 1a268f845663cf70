package dev.tend.cli;

import picocli.CommandLine;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.Map;

/**
 * The whole command tree {@code tend} runs (subcommands added in code included), for tools that describe it at build
 * time: the bash completion script ({@link CompletionScript}) and the dist module's man pages. Nothing it builds
 * prints anywhere.
 */
public final class CommandTree {

    private CommandTree() {
    }

    /** A fresh command tree whose output goes nowhere, with an empty environment. */
    public static CommandLine build() {
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream());
        return new Cli(sink, sink, Map.of()).commandLine(false);
    }
}

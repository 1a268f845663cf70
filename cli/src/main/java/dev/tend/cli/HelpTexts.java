package dev.tend.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders, with picocli, what every help command line prints ({@code tend}, {@code help} with the path to any
 * command after {@code tend} or any group ({@code tend help kv put}, {@code tend kv help put}), and {@code --help} and
 * {@code -h} after every command and alias of the tree), without and with colours, into the resources {@link HelpFastPath} serves. The build runs it after compiling (phase {@code process-classes}):
 * {@code java -cp CLASSPATH dev.tend.cli.HelpTexts target/classes}; picocli stays the only source of the text.
 */
public final class HelpTexts {

    /** Where the texts live, relative to the class path's root (and to {@link HelpFastPath}'s package). */
    static final String FOLDER = "dev/tend/cli/help/";
    static final String INDEX = "index.txt";

    private HelpTexts() {
    }

    /** What one command line printed: its exit status and the stream that got the text (the other got nothing). */
    record Rendered(List<String> args, int status, boolean toErr, String text) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: HelpTexts CLASSES_DIRECTORY");
            System.exit(2);
        }
        write(Path.of(args[0]).resolve(FOLDER));
    }

    /** Writes the index and the texts into {@code folder}. */
    static void write(Path folder) throws IOException {
        Files.createDirectories(folder);
        Map<String, Integer> ids = new LinkedHashMap<>();
        StringBuilder index = new StringBuilder();
        for (List<String> line : commandLines()) {
            Rendered plain = render(line, Ansi.OFF);
            Rendered ansi = render(line, Ansi.ON);
            if (plain == null || ansi == null || plain.status() != ansi.status() || plain.toErr() != ansi.toErr()) {
                continue; // printed on both streams, or differently with colours: left to picocli
            }
            int plainId = id(ids, plain.text());
            int ansiId = id(ids, ansi.text());
            index.append(plain.status()).append(' ').append(plain.toErr() ? "err" : "out").append(' ')
                    .append(plainId).append(' ').append(ansiId);
            for (String arg : line) {
                index.append(' ').append(arg);
            }
            index.append('\n');
        }
        for (Map.Entry<String, Integer> text : ids.entrySet()) {
            Files.writeString(folder.resolve(text.getValue() + ".txt"), text.getKey(), StandardCharsets.UTF_8);
        }
        Files.writeString(folder.resolve(INDEX), index.toString(), StandardCharsets.UTF_8);
    }

    private static int id(Map<String, Integer> ids, String text) {
        return ids.computeIfAbsent(text, t -> ids.size());
    }

    /** Every help command line of the whole tree, each word free of spaces. */
    static List<List<String>> commandLines() {
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream());
        CommandLine tend = new Cli(sink, sink, Map.of()).commandLine(false);
        List<List<String>> lines = new ArrayList<>();
        lines.add(List.of());
        helpCommands(tend, new ArrayList<>(), lines);
        helpOptions(tend, new ArrayList<>(), lines);
        return lines;
    }

    /**
     * {@code P help R}, for every command path {@code P} whose command has a help subcommand and every path {@code R}
     * below it, empty included: {@code help}, {@code help kv put}, {@code kv help put}.
     */
    private static void helpCommands(CommandLine command, List<String> path, List<List<String>> lines) {
        if (command.getSubcommands().containsKey("help")) {
            List<String> help = new ArrayList<>(path);
            help.add("help");
            below(command, help, lines);
        }
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            if (!sub.getKey().equals("help")) {
                List<String> subPath = new ArrayList<>(path);
                subPath.add(sub.getKey());
                helpCommands(sub.getValue(), subPath, lines);
            }
        }
    }

    /** {@code prefix}, then {@code prefix} with every path of subcommands below {@code command} (help's own left out). */
    private static void below(CommandLine command, List<String> prefix, List<List<String>> lines) {
        lines.add(prefix);
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            if (!sub.getKey().equals("help")) {
                List<String> line = new ArrayList<>(prefix);
                line.add(sub.getKey());
                below(sub.getValue(), line, lines);
            }
        }
    }

    private static void helpOptions(CommandLine command, List<String> path, List<List<String>> lines) {
        for (String option : List.of("--help", "-h")) {
            if (command.getCommandSpec().findOption(option) != null) {
                List<String> line = new ArrayList<>(path);
                line.add(option);
                lines.add(line);
            }
        }
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(sub.getKey());
            helpOptions(sub.getValue(), subPath, lines);
        }
    }

    /**
     * What picocli's path prints for {@code line} with the given colours, or null when it prints on both streams
     * or something else than text on one.
     */
    static Rendered render(List<String> line, Ansi ansi) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new ByteArrayInputStream(new byte[0]), out, err, Map.of("NO_COLOR", "1"), q -> null)
                .withoutFastPaths();
        int status = cli.execute(ansi, line.toArray(String[]::new));
        String o = out.toString(StandardCharsets.UTF_8);
        String e = err.toString(StandardCharsets.UTF_8);
        if (!o.isEmpty() && !e.isEmpty() || o.isEmpty() && e.isEmpty()) {
            return null;
        }
        return new Rendered(line, status, o.isEmpty(), o.isEmpty() ? e : o);
    }
}

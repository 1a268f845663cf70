package dev.tend.cli.command;

import picocli.CommandLine;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.ArrayList;
import java.util.List;

/**
 * The one line for a word where a command group expects one of its commands: {@code kv: unknown command 'pt' (did you
 * mean put?)} ({@code unknown command 'kvv' (did you mean kv?)} at the top). {@code tend kv pt ...} and
 * {@code tend help kv pt} say it alike: the suggestions are picocli's for the word and the group that
 * {@link Suggestions} finds near (picocli's own order first), and its near names among the group's commands and
 * aliases.
 */
public final class UnknownCommand {

    private UnknownCommand() {
    }

    /** True when {@code word}, left unmatched by {@code command}, stands where one of its commands would. */
    public static boolean applies(CommandLine command, String word) {
        return command != null && !command.getSubcommands().isEmpty() && !word.startsWith("-");
    }

    /** The message (without {@code tend: }) for {@code word} typed as a command of {@code group}. */
    public static String message(CommandLine group, String word) {
        String qualified = group.getCommandSpec().qualifiedName();
        String root = group.getCommandSpec().root().name();
        String path = qualified.equals(root) ? "" : qualified.substring(root.length() + 1) + ": ";
        List<String> picocli = new ArrayList<>();
        for (String s : new UnmatchedArgumentException(group, List.of(word)).getSuggestions()) {
            if (Suggestions.isNear(word, s)) {
                picocli.add(s);
            }
        }
        return path + "unknown command '" + word + "'"
                + Suggestions.didYouMean(word, group.getSubcommands().keySet(), picocli);
    }
}

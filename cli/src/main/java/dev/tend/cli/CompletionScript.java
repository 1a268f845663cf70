package dev.tend.cli;

import picocli.AutoComplete;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes tend's bash (and zsh, through bashcompinit) completion script with picocli's {@link AutoComplete}, from
 * the same command tree {@code tend} runs (subcommands added in code included). The build runs it in
 * {@code package}: {@code java -cp tend.jar dev.tend.cli.CompletionScript target/tend_completion}.
 */
public final class CompletionScript {

    private CompletionScript() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CompletionScript OUTPUT_FILE");
            System.exit(2);
        }
        String script = AutoComplete.bash("tend", CommandTree.build());
        Path out = Path.of(args[0]);
        Files.writeString(out, script, StandardCharsets.UTF_8);
    }
}

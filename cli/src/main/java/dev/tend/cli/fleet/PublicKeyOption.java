package dev.tend.cli.fleet;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.fleet.spec.SpecException;
import dev.tend.fleet.spec.VerifyKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A public key given on the command line: its hex, or a file holding it (tend fleet keygen's {@code fleet.pub}). */
final class PublicKeyOption {

    private PublicKeyOption() {
    }

    /** @throws CommandException (usage) naming the option when the key is not usable */
    static VerifyKey read(String option, String value) {
        String hex = value.strip();
        Path file = Path.of(value);
        if (Files.isRegularFile(file)) {
            try {
                if (Files.size(file) > 1024) {
                    throw new CommandException(ExitCodes.USAGE, option + ": " + file + " is not a public key file");
                }
                hex = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new CommandException(ExitCodes.USAGE, option + ": cannot read " + file + ": " + e.getMessage(),
                        e);
            }
        }
        try {
            return VerifyKey.fromHex(hex);
        } catch (SpecException e) {
            throw new CommandException(ExitCodes.USAGE, option + ": " + e.getMessage(), e);
        }
    }
}

package dev.tend.cli.command;

import dev.tend.fleet.spec.SpecException;
import dev.tend.fleet.spec.VerifyKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An ed25519 public key given as a setting ({@code tend fleet ls --public-key}, the agent's
 * {@code --machines-signing-key}): its hex, or a file holding it ({@code tend fleet keygen}'s {@code fleet.pub}).
 */
public final class PublicKeyOption {

    private PublicKeyOption() {
    }

    /** @throws CommandException (usage) naming the option when the key is not usable */
    public static VerifyKey read(String option, String value) {
        String hex = value.strip();
        Path file = file(value);
        if (file != null && Files.isRegularFile(file)) {
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

    private static Path file(String value) {
        try {
            return Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            return null; // not a file name: read as hex
        }
    }
}

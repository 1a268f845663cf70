package dev.tend.cli.command;

import dev.tend.fleet.spec.SpecException;
import dev.tend.fleet.spec.VerifyKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * An ed25519 public key given as a setting ({@code tend fleet ls --public-key}, the agent's
 * {@code --machines-signing-key}): its hex, or a file holding it ({@code tend fleet keygen}'s {@code fleet.pub}), read
 * by {@link VerifyKey#readFile}.
 */
public final class PublicKeyOption {

    private PublicKeyOption() {
    }

    /** @throws CommandException (usage) naming the option when the key is not usable */
    public static VerifyKey read(String option, String value) {
        Path file = file(value);
        try {
            if (file != null && Files.isRegularFile(file)) {
                return VerifyKey.readFile(file);
            }
            return VerifyKey.fromHex(value.strip());
        } catch (SpecException e) {
            throw new CommandException(ExitCodes.USAGE, option + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CommandException(ExitCodes.USAGE, option + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path file(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            return null; // not a file name: read as hex
        }
    }
}

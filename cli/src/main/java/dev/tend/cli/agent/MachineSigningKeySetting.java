package dev.tend.cli.agent;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.command.PublicKeyOption;
import dev.tend.cli.store.StoreLocator;
import dev.tend.kv.InvalidInputException;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The agent's machine signing key, Choria's {@value #KEY} in the config files (the user's first): the ed25519 public
 * key, as 64 hex digits or a file holding them ({@code tend fleet keygen}'s {@code fleet.pub}), that every
 * {@code plugins} and {@code machines} watcher's specification must be signed with, in place of their
 * {@code public_key}.
 */
final class MachineSigningKeySetting {

    static final String KEY = "plugin.choria.machine.signing_key";

    private MachineSigningKeySetting() {
    }

    /**
     * The key as hex, or empty when no config file sets it (or sets it empty).
     *
     * @throws CommandException (usage) naming the file and key when the value is not a usable key
     */
    static Optional<String> resolve(List<Path> configFiles) {
        for (Path config : configFiles) {
            String value;
            try {
                value = StoreLocator.scalarSetting(config, KEY, "a public key (hex, or a file holding it)");
            } catch (InvalidInputException e) {
                throw new CommandException(ExitCodes.USAGE, e.getMessage(), e);
            }
            if (value != null) {
                return value.isBlank() ? Optional.empty()
                        : Optional.of(PublicKeyOption.read(KEY + " in " + config, value).hex());
            }
        }
        return Optional.empty();
    }
}

package dev.tend.watchers.plugins;

import dev.tend.fleet.spec.ItemNames;
import dev.tend.fleet.spec.MachinesSpec;
import dev.tend.fleet.spec.PluginItem;
import dev.tend.fleet.spec.PluginSpec;
import dev.tend.fleet.spec.SpecException;
import dev.tend.fleet.spec.VerifyKey;

import java.util.List;
import java.util.Optional;

/**
 * Reads the specification from its data item's value and checks it, in the reference's order and with its handling of
 * each problem. A missing or unsigned signature, or one that does not verify, when a public key is set, is a problem
 * of the data: the data item is deleted. For the {@code machines} form, so is a list that is not valid base64 (it is
 * decoded before the signature is checked, which covers the decoded bytes). A public key that cannot be read, a value
 * that is not a specification, a list that is not JSON and an item that lacks a required field leave the data as it is.
 *
 * <p>Tend checks two more things Choria does not, so that every manager machine it writes loads and installs where it
 * should: an item's name must be a safe directory name usable in a machine name, and not the archive watchers'
 * {@code tmp} ({@link ItemNames}), and no value may hold a character that cannot
 * stand between the double quotes of the manager machine's YAML as it is ({@code "}, {@code \} or a control character).
 */
final class SpecReader {

    private SpecReader() {
    }

    /**
     * @param value     the data item's value
     * @param publicKey the key signatures must verify with, as hex; empty: signatures are not checked
     */
    static List<PluginItem> read(SpecForm form, Object value, Optional<String> publicKey) throws InvalidSpecException {
        List<PluginItem> items = form == SpecForm.PLUGINS ? plugins(value, publicKey) : machines(value, publicKey);
        for (PluginItem item : items) {
            Optional<String> problem = item.problem().or(() -> tendProblem(item));
            if (problem.isPresent()) {
                throw new InvalidSpecException(problem.get(), false);
            }
        }
        return items;
    }

    private static List<PluginItem> plugins(Object value, Optional<String> publicKey) throws InvalidSpecException {
        PluginSpec spec;
        try {
            spec = PluginSpec.fromData(value);
        } catch (SpecException e) {
            throw new InvalidSpecException(e.getMessage(), false);
        }
        if (publicKey.isPresent()) {
            if (spec.signature().isEmpty()) {
                throw new InvalidSpecException("no signature found in the specification, removing data", true);
            }
            VerifyKey key = key(publicKey.get());
            try {
                spec.verify(key);
            } catch (SpecException e) {
                throw new InvalidSpecException(e.getMessage() + ", removing data", true);
            }
        }
        try {
            return spec.items();
        } catch (SpecException e) {
            throw new InvalidSpecException("invalid plugins specification: " + e.getMessage(), false);
        }
    }

    private static List<PluginItem> machines(Object value, Optional<String> publicKey) throws InvalidSpecException {
        MachinesSpec spec;
        try {
            spec = MachinesSpec.fromData(value);
        } catch (SpecException e) {
            throw new InvalidSpecException(e.getMessage(), false);
        }
        try {
            spec.listJson();
        } catch (SpecException e) {
            throw new InvalidSpecException(e.getMessage() + ", removing data", true);
        }
        if (publicKey.isPresent()) {
            if (spec.signature().isEmpty()) {
                throw new InvalidSpecException("no signature found in the specification, removing data", true);
            }
            VerifyKey key = key(publicKey.get());
            try {
                spec.verify(key);
            } catch (SpecException e) {
                throw new InvalidSpecException(e.getMessage() + ", removing data", true);
            }
        }
        try {
            return spec.items();
        } catch (SpecException e) {
            throw new InvalidSpecException("invalid machines specification: " + e.getMessage(), false);
        }
    }

    private static VerifyKey key(String hex) throws InvalidSpecException {
        try {
            return VerifyKey.fromHex(hex);
        } catch (SpecException e) {
            throw new InvalidSpecException("invalid public key: " + e.getMessage(), false);
        }
    }

    private static Optional<String> tendProblem(PluginItem item) {
        Optional<String> name = ItemNames.problem(item.name());
        if (name.isPresent()) {
            return Optional.of("name \"" + item.name() + "\" " + name.get());
        }
        String[][] fields = {{"source", item.source()}, {"username", item.username()}, {"password", item.password()},
                {"checksum", item.checksum()}, {"verify_checksum", item.verifyChecksum()},
                {"governor", item.governor()}};
        for (String[] field : fields) {
            if (!quotable(field[1])) {
                return Optional.of(field[0] + " of " + item.name() + " holds a double quote, a backslash, a control"
                        + " character or another character a YAML string cannot hold, which cannot be written in the"
                        + " manager machine");
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the text can be written between double quotes as it is and read back the same: no quote, backslash or
     * control character (C0, DEL, C1), no character YAML folds as a line break (U+2028, U+2029), no lone surrogate, no
     * non-character U+FFFE or U+FFFF (YAML refuses those, so the manager machine would never load).
     */
    static boolean quotable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                    || c == '\ufffe' || c == '\uffff') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}

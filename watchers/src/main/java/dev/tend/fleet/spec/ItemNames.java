package dev.tend.fleet.spec;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which specification entry names Tend can install: a name becomes a directory in the machines directory (the archive
 * unpacks into {@code <target>/<name>}) and the end of a manager machine's name ({@code <prefix>_<name>}), so it must be
 * a safe directory name, usable in a machine name, and not {@value #RESERVED}, the directory where the archive watchers
 * download and unpack ({@code <target>/tmp}).
 */
public final class ItemNames {

    /** The archive watchers' working directory under their target: no entry may unpack there. */
    public static final String RESERVED = "tmp";

    private static final Pattern SHAPE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]*");

    private ItemNames() {
    }

    /**
     * Why {@code name} cannot name an entry, as a phrase to follow {@code name "..."}, or empty when it can: letters,
     * digits, {@code _} and {@code -}, starting with a letter or digit, and not {@value #RESERVED}.
     */
    public static Optional<String> problem(String name) {
        if (!SHAPE.matcher(name).matches()) {
            return Optional.of("cannot name a machine directory: letters, digits, _ and - only, starting with a letter"
                    + " or digit");
        }
        if (name.equals(RESERVED)) {
            return Optional.of("is reserved: the archive watchers download and unpack in the machines directory's "
                    + RESERVED + "/");
        }
        return Optional.empty();
    }
}

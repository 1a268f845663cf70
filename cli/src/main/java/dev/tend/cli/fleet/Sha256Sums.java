package dev.tend.cli.fleet;

import java.io.IOException;
import java.util.Collection;

/**
 * The text of a {@code sha256sum}-format file: one line {@code HEX  NAME} per regular file, in the order given, the
 * names relative to the directory that holds the sums file, as the archive watcher's {@code verify} reads them (and
 * {@code sha256sum -c} inside that directory).
 */
final class Sha256Sums {

    private Sha256Sums() {
    }

    /**
     * Why a file of this relative name cannot be listed so that the archive watcher reads the line back (it reads
     * {@code HEX, blanks, a non-blank character and at least one more}, as the reference does), or null when it can.
     */
    static String unlistable(String name) {
        if (name.length() < 2) {
            return "a name of one character cannot be listed in " + MachinePacker.SUMS
                    + " as the archive watcher reads it; rename it";
        }
        if (Character.isWhitespace(name.charAt(0)) || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
            return "a name that starts with a blank or holds a line break cannot be listed in " + MachinePacker.SUMS;
        }
        return null;
    }

    /**
     * The lines for the files among {@code entries} (directories are left out), whose archive names start with
     * {@code prefix}, which is removed.
     */
    static String of(String prefix, Collection<ReproducibleTarGz.Entry> entries) throws IOException {
        StringBuilder text = new StringBuilder();
        for (ReproducibleTarGz.Entry e : entries) {
            if (e.isDirectory()) {
                continue;
            }
            String hash = e.content() != null ? Sha256.hex(e.content()) : Sha256.of(e.file());
            text.append(hash).append("  ").append(e.name().substring(prefix.length())).append('\n');
        }
        return text.toString();
    }
}

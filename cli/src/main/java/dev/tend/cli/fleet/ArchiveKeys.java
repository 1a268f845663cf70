package dev.tend.cli.fleet;

import java.util.regex.Pattern;

/**
 * The key a packed machine is uploaded under: {@code NAME-VERSION.tar.gz}, with any character a key may not hold
 * (a SemVer build's {@code +}, for one) made {@code _}.
 */
final class ArchiveKeys {

    private static final Pattern NOT_KEY = Pattern.compile("[^A-Za-z0-9_=.-]");

    private ArchiveKeys() {
    }

    static String of(String name, String version) {
        return NOT_KEY.matcher(name + "-" + version).replaceAll("_") + ".tar.gz";
    }
}

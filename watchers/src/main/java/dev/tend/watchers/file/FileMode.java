package dev.tend.watchers.file;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A managed file's {@code mode}: always octal, as chmod reads it ({@code "0644"}, {@code "644"}, {@code "0o644"}). The
 * reference checks it as decimal at load and reads it with base detection at run time, so there {@code "644"} means
 * decimal 644; Tend does not repeat that trap. Permission bits only: Java cannot set setuid, setgid or sticky.
 */
final class FileMode {

    private static final Pattern OCTAL = Pattern.compile("(?:0[oO])?([0-7]{1,5})");
    /** Owner, group and other bits in chmod's order, highest first. */
    private static final PosixFilePermission[] BITS = {
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE};

    private FileMode() {
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with {@code text}, in one line
     */
    static Set<PosixFilePermission> parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("mode is empty; use an octal mode such as \"0644\"");
        }
        Matcher m = OCTAL.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("mode \"" + text + "\" is not an octal mode such as \"0644\"");
        }
        int value = Integer.parseInt(m.group(1), 8);
        if (value > 07777) {
            throw new IllegalArgumentException("mode \"" + text + "\" is larger than 7777");
        }
        if (value > 0777) {
            throw new IllegalArgumentException("mode \"" + text + "\": setuid, setgid and sticky bits are not "
                    + "supported; use the permission bits only, e.g. \"0755\"");
        }
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((value & (0400 >> i)) != 0) {
                permissions.add(BITS[i]);
            }
        }
        return permissions;
    }

    /** {@code rw-r--r--}, for logs. */
    static String describe(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.toString(permissions);
    }
}

package dev.tend.watchers.archive;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One archive to keep in place, with its templates already rendered: {@code source} (URL), {@code checksum} (SHA-256
 * of the archive), {@code creates} (the one directory the archive holds, a single name), {@code target} (the
 * directory it goes into), and optionally {@code verify} (a {@code sha256sum} file inside {@code creates}) with
 * {@code verifyChecksum} (that file's SHA-256, required with {@code verify}).
 */
record ArchiveSpec(String source, String checksum, String creates, Path target, String verify, String verifyChecksum,
                   FetchSettings fetch, ArchiveLimits limits) {

    ArchiveSpec {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(fetch, "fetch");
        Objects.requireNonNull(limits, "limits");
        require(source, "source");
        require(checksum, "checksum");
        require(creates, "creates");
        if (creates.contains("/") || creates.equals(".") || creates.equals("..") || creates.equals("tmp")) {
            throw new IllegalArgumentException("creates must be one directory name (not tmp), got '" + creates + "'");
        }
        if (blank(verify) != blank(verifyChecksum)) {
            throw new IllegalArgumentException("verify and verify_checksum go together");
        }
    }

    boolean verifies() {
        return !blank(verify);
    }

    Path createsPath() {
        return target.resolve(creates);
    }

    private static void require(String value, String name) {
        if (blank(value)) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}

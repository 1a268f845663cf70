package dev.tend.machine.input;

/**
 * The most bytes a kind of file may hold, and how messages name that kind: a file over it is refused before it is
 * parsed, since parsing costs memory and time in proportion to the size.
 *
 * @param bytes the limit, at least 1
 * @param kind  what the file is, for messages: {@code a machine file}, {@code a facts file}
 */
public record FileLimit(long bytes, String kind) {

    public FileLimit {
        if (bytes < 1) {
            throw new IllegalArgumentException("a file limit must be at least 1 byte");
        }
    }

    public static FileLimit kibibytes(long kib, String kind) {
        return new FileLimit(kib * 1024, kind);
    }

    public static FileLimit mebibytes(long mib, String kind) {
        return new FileLimit(mib * 1024 * 1024, kind);
    }

    /** The limit as people write it: {@code 1 MiB}, {@code 64 KiB}, or a number of bytes. */
    public String size() {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }

    /** Why a file of {@code size} bytes is refused: {@code 5242880 bytes is over the 1 MiB limit for a machine file}. */
    public String refusal(long size) {
        return size + " bytes is over the " + size() + " limit for " + kind;
    }
}

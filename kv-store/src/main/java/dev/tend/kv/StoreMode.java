package dev.tend.kv;

/**
 * Who may read and write the files of an embedded store (the NATS backend ignores it). Files and directories are
 * created with these modes whatever the process's umask; files created before keep theirs, and
 * {@code tend kv check} reports those more open than the store's mode.
 */
public enum StoreMode {
    /** Files 0600, directories 0700: only the user who created them. The default, as values may be secrets. */
    OWNER,
    /**
     * Files 0660, directories 2770: the owner and the group, for a store that an agent running as root shares with
     * operators in a group (say {@code tend}). The set-group-ID bit on directories gives what is created in them the
     * directory's group, so the store's directory itself must have that group.
     */
    GROUP
}

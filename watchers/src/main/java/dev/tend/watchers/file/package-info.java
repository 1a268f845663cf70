/**
 * The {@code file} watcher type. Without {@code contents} it watches a file's modification time: newer than the one
 * remembered is {@code changed} ({@code success_transition}), missing or unreadable is {@code error}
 * ({@code fail_transition}, at every check while it lasts). With {@code contents} it manages the file: it renders
 * content, mode, owner and group from templates and rewrites the file atomically (a temporary file, then a rename) when
 * it is missing, was touched, or differs. Checks run every {@code interval} (default 5 s) and on every state change;
 * while the watcher is inactive a check only records {@code skipped}.
 *
 * <p>Entry point: {@link dev.tend.watchers.file.FileWatcherFactory}. Read {@link dev.tend.watchers.file.FileWatcher}
 * first (when checks run, what they report), then its two {@link dev.tend.watchers.file.FileCheck}s,
 * {@link dev.tend.watchers.file.ChangeDetection} and {@link dev.tend.watchers.file.ManagedContent};
 * {@link dev.tend.watchers.file.FileMode} reads {@code mode}.
 *
 * <p>Threads: {@code FileWatcher}'s calls, interval ticks and fields are on the watcher's lane. A check does file I/O,
 * so it is blocking work whose result comes back to the lane; one runs at a time, and the checks asked for meanwhile
 * become one more. A {@code FileCheck} keeps nothing between checks: the remembered time is passed in and handed back.
 *
 * <p>User-facing behaviour: docs/watchers.md, section {@code file}.
 */
package dev.tend.watchers.file;

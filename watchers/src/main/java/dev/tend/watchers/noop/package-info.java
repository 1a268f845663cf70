/**
 * Noop mode's one log line, shared by the types that act on the node ({@code exec}, {@code nagios}, {@code metric},
 * {@code archive}, {@code file}, {@code plugins}/{@code machines}): {@link dev.tend.watchers.noop.NoopNotice} says at
 * INFO what a watcher would have done when {@code WatcherContext.noop()} holds, and the command words as a shell would
 * read them back. Each type decides where its action stops and what it reports instead (docs/machines.md, Noop mode).
 * Knows no watcher type.
 */
package dev.tend.watchers.noop;

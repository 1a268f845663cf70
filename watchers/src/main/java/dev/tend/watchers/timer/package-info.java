/**
 * The {@code timer} watcher type: a timer that runs for {@code timer} (at least 1 s; with {@code splay} a random part
 * of it, chosen once per watcher) and starts when the machine is in a matching state, starts again from zero on every
 * state change while the watcher is active, and stops when it is not; each start and stop publishes a state event. On
 * expiry it publishes {@code stopped} and fires {@code fail_transition}. It has no success outcome:
 * a {@code success_transition} is never fired (a warning at load). Stopping the machine cancels the timer silently.
 *
 * <p>Entry point: {@link dev.tend.watchers.timer.TimerWatcherFactory} (properties, the load check, the timer's length);
 * {@link dev.tend.watchers.timer.TimerWatcher} is the whole behaviour.
 *
 * <p>Threads: everything of {@code TimerWatcher} runs on the watcher's lane, the expiry included (a lane timer), so a
 * timer cancelled by a restart or a stop never expires. The factory's random generator is shared by the machines of one
 * runtime and used under its own lock.
 *
 * <p>User-facing behaviour: docs/watchers.md, section {@code timer}.
 */
package dev.tend.watchers.timer;

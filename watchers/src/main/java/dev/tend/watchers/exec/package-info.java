/**
 * The {@code exec} watcher type: runs a command, without a shell, when the machine changes state and, with an
 * {@code interval}, periodically; exit status 0 fires {@code success_transition}, anything else (a non-zero status, a
 * timeout, a command that cannot start) {@code fail_transition}. The command line is split with shell-like rules and
 * run with an exact environment (the machine's data and facts go in JSON files), in a session of its own, so that a
 * timeout or a stop ends every process it started (SIGTERM, then SIGKILL).
 *
 * <p>Entry point: {@link dev.tend.watchers.exec.ExecWatcherFactory} (properties, load checks, {@code create}). Read
 * {@link dev.tend.watchers.exec.ExecWatcher} first (when runs happen, serialisation, reporting), then
 * {@link dev.tend.watchers.exec.CommandRun} (one run, start to verdict); starting and ending the command's processes is
 * {@link dev.tend.watchers.process}'s, shared with the {@code nagios} type. With a {@code governor}, a run first waits for
 * a slot of that concurrency governor ({@code dev.tend.governor}, in the agent's store) and releases it after the
 * command: {@code GovernedRun}; a stop completes the future that gives the wait up.
 *
 * <p>Threads: {@code ExecWatcher}'s calls, timers and fields are on the watcher's lane. A run is waiting work
 * ({@code runWaiting}, a thread of its own for as long as the command runs, so that running commands never hold the
 * runtime's bounded blocking pool) whose result comes back to the lane; so is ending the command on stop, which the
 * machine's stop waits for. Within a run the output pumps (one thread per captured stream) and the ending after a
 * timeout run on the context's {@code blockingExecutor()} (the runtime's unbounded wait threads), and the timeout is a
 * task on the context's scheduler, all off the lane. A running command thus costs the agent two or three threads, plus
 * the JDK's reaper of its process:
 * the process package's {@code ChildSlot}, {@code ChildProcess}, {@code OutputHead} and {@code OutputTail} lock what
 * those threads share.
 *
 * <p>User-facing behaviour: docs/watchers.md, section {@code exec}.
 */
package dev.tend.watchers.exec;


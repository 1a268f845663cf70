/**
 * Running a watcher's command, shared by the watcher types that run one ({@code exec}, {@code nagios},
 * {@code metric}): splitting the command line into words as a shell would
 * ({@link dev.tend.watchers.process.ShellWords}), finding the executable
 * ({@link dev.tend.watchers.process.CommandResolver}) and refusing a file root must not run
 * ({@link dev.tend.watchers.process.CommandTrust}), starting it in a session of its own and capturing its output
 * ({@link dev.tend.watchers.process.ChildProcess}), and ending every process it started on a timeout or a stop
 * ({@link dev.tend.watchers.process.ProcessTree}, {@link dev.tend.watchers.process.ChildSlot}).
 * {@link dev.tend.watchers.process.PlainCommand} puts these together for the commands that get only the three
 * variables of the reference's nagios and metric commands; in noop mode ({@code WatcherContext.noop()}) it stops once
 * the executable is found and trusted, and logs the command line instead ({@code dev.tend.watchers.noop}).
 *
 * <p>It knows no watcher type: what a command's environment, timeout and exit status mean belongs to each type's
 * package. Threads: {@code ChildProcess} reads output on the executor it is given (one task per captured stream) and
 * its ending may be called from any thread; {@code ChildSlot}, {@code ChildProcess}, {@code OutputHead} and
 * {@code OutputTail} lock what those threads share.
 */
package dev.tend.watchers.process;

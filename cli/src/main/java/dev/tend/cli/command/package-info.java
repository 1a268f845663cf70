/**
 * What every {@code tend} command follows: exit statuses ({@link dev.tend.cli.command.ExitCodes}), its own failures
 * ({@link dev.tend.cli.command.CommandException}) reported on one line ({@link dev.tend.cli.command.ErrorLine}), option
 * values read through {@code dev.tend.units} ({@link dev.tend.cli.command.DurationConverter},
 * {@link dev.tend.cli.command.ByteSizeConverter}), and how the long-running commands end
 * ({@link dev.tend.cli.command.UntilSignalled}, {@link dev.tend.cli.command.Closer}), how a failure is reported by
 * picocli's path and the fast paths alike ({@link dev.tend.cli.command.ErrorReport}), and the plain shape of a command
 * line the fast paths read without picocli ({@link dev.tend.cli.command.PlainArgs}), and the confirmation a command
 * asks before it destroys ({@link dev.tend.cli.command.Prompter}). Knows no command.
 */
package dev.tend.cli.command;

/**
 * What every {@code tend} command follows: exit statuses ({@link dev.tend.cli.command.ExitCodes}), its own failures
 * ({@link dev.tend.cli.command.CommandException}) reported on one line ({@link dev.tend.cli.command.ErrorLine}), option
 * values read through {@code dev.tend.units} ({@link dev.tend.cli.command.DurationConverter},
 * {@link dev.tend.cli.command.ByteSizeConverter}), and how the long-running commands end
 * ({@link dev.tend.cli.command.UntilSignalled}, {@link dev.tend.cli.command.Closer}), how a failure is reported by
 * picocli's path and the fast paths alike ({@link dev.tend.cli.command.ErrorReport}), and the plain shape of a command
 * line the fast paths read without picocli ({@link dev.tend.cli.command.PlainArgs}), the confirmation a command
 * asks before it destroys ({@link dev.tend.cli.command.Prompter}), the watcher types of the commands that read machine
 * files without running them ({@link dev.tend.cli.command.WatcherTypes}) and the public key of a fleet's
 * specifications ({@link dev.tend.cli.command.PublicKeyOption}), and the log's level and format every command takes
 * ({@link dev.tend.cli.command.LogControl}), the names suggested for a mistyped one
 * ({@link dev.tend.cli.command.Suggestions}), the one line for an unknown command, typed or asked help for
 * ({@link dev.tend.cli.command.UnknownCommand}), and the {@code help} subcommand of {@code tend} and of every group
 * ({@link dev.tend.cli.command.HelpSubcommand}). Knows no command.
 */
package dev.tend.cli.command;

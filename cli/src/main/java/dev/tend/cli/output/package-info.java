/**
 * How commands print: the {@code --json} shapes and printers ({@link dev.tend.cli.output.Json}), ASCII tables
 * ({@link dev.tend.cli.output.Table}), times in {@code TZ} ({@link dev.tend.cli.output.TimeFormat}) and stored values
 * as text or base64 ({@link dev.tend.cli.output.Values}). Knows no command.
 */
package dev.tend.cli.output;

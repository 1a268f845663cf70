/**
 * Reading the files Tend is given (machine files, facts, machine data, the CLI's config file) within a documented size
 * and as UTF-8 text: {@link dev.tend.machine.input.BoundedFile} reads a file of at most a
 * {@link dev.tend.machine.input.FileLimit}, refusing a larger one before reading it
 * ({@link dev.tend.machine.input.FileTooLargeException}); {@link dev.tend.machine.input.Utf8Text} decodes UTF-8 with
 * or without its byte-order mark and refuses the other encodings YAML allows
 * ({@link dev.tend.machine.input.NotUtf8Exception}); {@link dev.tend.machine.input.TextStreamReader} is SnakeYAML's
 * reader for such a text, in linear time; {@link dev.tend.machine.input.YamlErrors} puts SnakeYAML's syntax errors on
 * one line, the commonest in plain words ({@link dev.tend.machine.input.YamlSyntaxHints}). Knows no other package of the runtime.
 */
package dev.tend.machine.input;

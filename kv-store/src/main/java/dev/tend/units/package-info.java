/**
 * The one syntax for durations and the one for byte sizes that every module reads: {@link dev.tend.units.Durations}
 * (Go's {@code time.ParseDuration} syntax plus {@code d} and {@code w}; {@code format} writes Go's form) and
 * {@link dev.tend.units.ByteSizes} (plain bytes, or SI and IEC units). Both are public for the other modules: the CLI's
 * option converters, the machine loader (through its own rules for machine files), the built-in watchers and the config
 * codec of {@code dev.tend.kv.support}.
 *
 * <p>Bad input is an {@link dev.tend.kv.InvalidInputException} whose one-line message quotes the input and gives a
 * hint; that exception is the package's only dependency. It lives in {@code kv-store} because that module depends on
 * nothing of Tend's, so every module can use it. docs/architecture.md ("Units") lists what each accepts.
 */
package dev.tend.units;

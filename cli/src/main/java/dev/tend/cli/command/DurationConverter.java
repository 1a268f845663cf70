package dev.tend.cli.command;

import dev.tend.kv.InvalidInputException;
import dev.tend.units.Durations;
import picocli.CommandLine;

import java.time.Duration;

/** Reads an option's value with {@link Durations#parse(String)}: {@code 10s}, {@code 1h30m}, {@code 1d}, {@code 0}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (InvalidInputException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}

package dev.tend.cli.command;

import dev.tend.kv.InvalidInputException;
import dev.tend.units.ByteSizes;
import picocli.CommandLine;

/** Reads an option's value with {@link ByteSizes#parse(String)}: {@code 1024}, {@code 10KiB}, {@code 1MB}. */
public final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        try {
            return ByteSizes.parse(value);
        } catch (InvalidInputException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}

package dev.tend.cli.kv;

import dev.tend.cli.command.ByteSizeConverter;
import dev.tend.kv.BucketConfig;
import picocli.CommandLine;

import java.util.Locale;

/** A size limit: plain bytes or units (10KiB, 1MB) through the one size parser, or {@code unlimited}. */
public final class LimitConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("unlimited") || v.equals("-1")) {
            return BucketConfig.UNLIMITED;
        }
        return new ByteSizeConverter().convert(value);
    }
}

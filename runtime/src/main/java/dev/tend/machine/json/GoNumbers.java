package dev.tend.machine.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/**
 * The Jackson module that writes doubles and floats as Go's {@code encoding/json} does ({@link GoFloat}). The number
 * is written as a raw value, so that it keeps its form also through a tree ({@code ObjectMapper.valueToTree}, as the
 * events' data is built). NaN and the infinities, which Go refuses, are written as the generator writes them (by
 * default the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, as Tend always has): a watcher's value
 * never makes a write fail.
 */
public final class GoNumbers {

    private GoNumbers() {
    }

    /** A new module with the serializers of {@code Double}, {@code double}, {@code Float} and {@code float}. */
    public static Module module() {
        return new SimpleModule("tend-go-numbers")
                .addSerializer(Double.class, new DoubleSerializer(Double.class))
                .addSerializer(Double.TYPE, new DoubleSerializer(Double.TYPE))
                .addSerializer(Float.class, new FloatSerializer(Float.class))
                .addSerializer(Float.TYPE, new FloatSerializer(Float.TYPE));
    }

    private static final class DoubleSerializer extends StdSerializer<Double> {
        DoubleSerializer(Class<Double> type) {
            super(type);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            double d = value;
            if (GoFloat.isWritable(d)) {
                gen.writeRawValue(GoFloat.format(d));
            } else {
                gen.writeNumber(d);
            }
        }
    }

    private static final class FloatSerializer extends StdSerializer<Float> {
        FloatSerializer(Class<Float> type) {
            super(type);
        }

        @Override
        public void serialize(Float value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            float f = value;
            if (GoFloat.isWritable(f)) {
                gen.writeRawValue(GoFloat.format(f));
            } else {
                gen.writeNumber(f);
            }
        }
    }
}

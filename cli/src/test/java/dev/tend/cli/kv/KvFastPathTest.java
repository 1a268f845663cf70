package dev.tend.cli.kv;

import dev.tend.cli.command.PlainArgs.Shape;
import dev.tend.cli.store.NatsFlags;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path's table of the kv commands it serves ({@link KvFastPath#SHAPES}) says what picocli's model says: every
 * option it accepts is one of the command's with the same arity and no default value, every option of the command is
 * in the table or left to picocli (help, NATS flags), and the positional parameters' counts agree. The answers of
 * both paths are compared in {@code dev.tend.cli.FastPathTest}.
 */
public class KvFastPathTest {

    static final Set<String> LEFT_TO_PICOCLI = new HashSet<>(Set.of("--help", "-h", "--version", "-V"));

    static {
        LEFT_TO_PICOCLI.addAll(NatsFlags.NAMES);
    }

    @Test
    void theTableMatchesPicocliModel() {
        KvContext context = new KvContext(Map.of(), new ByteArrayInputStream(new byte[0]),
                new PrintWriter(new ByteArrayOutputStream()), new ByteArrayOutputStream(),
                new PrintWriter(new ByteArrayOutputStream()), q -> null);
        for (Map.Entry<String, Shape> e : KvFastPath.SHAPES.entrySet()) {
            CommandLine kv = KvCommand.commandLine(context, new String[] {"kv", e.getKey()});
            CommandSpec spec = kv.getSubcommands().get(e.getKey()).getCommandSpec();
            assertMatches(e.getKey(), spec, e.getValue(), LEFT_TO_PICOCLI);
        }
    }

    /** Checks {@code shape} against {@code spec}; shared with the machine commands' test. */
    public static void assertMatches(String name, CommandSpec spec, Shape shape, Set<String> leftToPicocli) {
        Set<String> served = new HashSet<>(shape.flags());
        served.addAll(shape.valueOptions());
        for (OptionSpec o : spec.options()) {
            for (String n : o.names()) {
                if (leftToPicocli.contains(n)) {
                    continue;
                }
                assertThat(served).as(name + ": option " + n + " is served by the fast path").contains(n);
                boolean flag = o.arity().max() == 0;
                assertThat(flag ? shape.flags() : shape.valueOptions()).as(name + ": " + n + "'s arity").contains(n);
                assertThat(o.defaultValue()).as(name + ": " + n + " has no default value").isNull();
                served.remove(n);
            }
        }
        assertThat(served).as(name + ": options of the table that picocli does not know").isEmpty();
        int min = 0;
        int max = 0;
        for (PositionalParamSpec p : spec.positionalParameters()) {
            min += p.arity().min();
            max += p.arity().max();
            assertThat(p.defaultValue()).as(name + ": " + p.paramLabel() + " has no default value").isNull();
        }
        assertThat(shape.minPositional()).as(name + ": fewest positional parameters").isEqualTo(min);
        assertThat(shape.maxPositional()).as(name + ": most positional parameters").isEqualTo(max);
    }
}

package dev.tend.cli.command;

import dev.tend.kv.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The confirmation {@code tend kv} and {@code tend governor} ask before they destroy. */
class PrompterTest {
    private final StringWriter out = new StringWriter();
    private final List<String> asked = new ArrayList<>();

    private Prompter answering(Boolean answer) {
        return q -> {
            asked.add(q);
            return answer;
        };
    }

    @Test
    void forceGoesOnWithoutAsking() {
        assertThat(answering(false).confirm(true, "Really?", "do it", new PrintWriter(out))).isTrue();
        assertThat(asked).isEmpty();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void yesGoesOnQuietly() {
        assertThat(answering(true).confirm(false, "Really?", "do it", new PrintWriter(out))).isTrue();
        assertThat(asked).containsExactly("Really?");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void noSaysSkipping() {
        assertThat(answering(false).confirm(false, "Really?", "do it", new PrintWriter(out))).isFalse();
        assertThat(out.toString()).isEqualTo("Skipping" + System.lineSeparator());
    }

    @Test
    void withoutATerminalItRefusesAsAUsageError() {
        assertThatThrownBy(() -> answering(null).confirm(false, "Really?", "remove bucket B", new PrintWriter(out)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("not confirmed: cannot ask whether to remove bucket B without a terminal; add -f to do it"
                        + " without asking");
    }
}

package dev.tend.cli.e2e;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The golden-transcript helper itself (runs with the unit tests). */
class TranscriptTest {

    @Test
    void normalisesTimesDatesAndTheStorePath() {
        Transcript t = new Transcript("/tmp/x/store");
        t.record(new Tend.Result(List.of("kv", "get", "CFG", "k"), 1,
                ("CFG > k revision 1 created @ 13 Jul 21 10:38 UTC\n[2021-07-13 12:38:10] PUT CFG.k: v\n"
                        + "\"created\":\"2021-07-13T10:38:10.123456789Z\" at file:///tmp/x/store/\nraw")
                        .getBytes(), "tend: oops\n"), null);
        assertThat(t.normalised()).containsExactly(
                "$ tend kv get CFG k",
                "CFG > k revision 1 created @ DD Mon YY HH:MM UTC",
                "[YYYY-MM-DD HH:MM:SS] PUT CFG.k: v",
                "\"created\":\"RFC3339\" at file://$STORE/",
                "raw",
                "[no newline at end]",
                "! tend: oops",
                "[exit 1]");
    }

    @Test
    void diffShowsRemovedAndAddedLinesWithContext() {
        String diff = Transcript.diff(List.of("a", "b", "c", "d", "e", "f", "g"),
                List.of("a", "b", "c", "X", "e", "f", "g"));
        assertThat(diff).isEqualTo("@@ line 2\n  b\n  c\n- d\n+ X\n  e\n  f\n");
    }

    @Test
    void aChangedLineMustBeInTheGoldenFileAndIsExpectedInstead() {
        Transcript t = new Transcript("nats://127.0.0.1:4222");
        t.record(new Tend.Result(List.of("kv", "ls"), 0, "No buckets found\n".getBytes(), ""), null);

        assertThatThrownBy(() -> t.assertMatchesGolden("seed-session.txt", Map.of("not in the file", "x")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("has no line \"not in the file\"");
        assertThatThrownBy(() -> t.assertMatchesGolden("seed-session.txt",
                Map.of("         Backend: embedded", "         Backend: nats")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("-          Backend: nats")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Backend: embedded"));
    }
}

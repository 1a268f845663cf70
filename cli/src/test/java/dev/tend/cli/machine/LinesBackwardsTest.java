package dev.tend.cli.machine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LinesBackwardsTest {

    @TempDir
    Path tmp;

    private List<String> backwards(String content) throws Exception {
        Path f = tmp.resolve("f");
        Files.writeString(f, content);
        List<String> lines = new ArrayList<>();
        LinesBackwards.read(f, lines::add);
        return lines;
    }

    @Test
    void linesComeLastFirstWithoutEmptyOnes() throws Exception {
        assertThat(backwards("a\nbb\n\nccc\n")).containsExactly("ccc", "bb", "a");
        assertThat(backwards("a\nno newline at the end")).containsExactly("no newline at the end", "a");
        assertThat(backwards("")).isEmpty();
        assertThat(backwards("\n\n")).isEmpty();
        assertThat(backwards("ünïcödé\n")).containsExactly("ünïcödé");
    }

    @Test
    void linesLongerThanABlockAndAcrossBlocksStayWhole() throws Exception {
        String longLine = "x".repeat(20_000);
        StringBuilder content = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String line = i % 100 == 0 ? longLine + i : "line " + i + " " + "é".repeat(i % 7);
            content.append(line).append('\n');
            expected.add(0, line);
        }
        assertThat(backwards(content.toString())).isEqualTo(expected);
    }

    @Test
    void theVisitorStopsTheReading() throws Exception {
        Path f = tmp.resolve("f");
        Files.writeString(f, "1\n2\n3\n4\n");
        List<String> seen = new ArrayList<>();
        LinesBackwards.read(f, line -> {
            seen.add(line);
            return seen.size() < 2;
        });
        assertThat(seen).containsExactly("4", "3");
    }
}

package dev.tend.watchers.exec;

import dev.tend.watchers.process.ShellWords;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The splitting table: google/shlex's rules, which the reference uses. */
class ShellWordsTest {

    static Stream<Arguments> splits() {
        return Stream.of(
                arguments("one two", List.of("one", "two")),
                arguments("  one\ttwo\n three\r\n", List.of("one", "two", "three")),
                arguments("/usr/bin/check --level=2 ./x.sh", List.of("/usr/bin/check", "--level=2", "./x.sh")),
                arguments("\"three four\"", List.of("three four")),
                arguments("\"five \\\"six\\\"\"", List.of("five \"six\"")),
                arguments("\"a\\\\b\"", List.of("a\\b")),
                arguments("\"\\a\"", List.of("a")), // shlex: a backslash in double quotes escapes any character
                arguments("'twelve\\'", List.of("twelve\\")),
                arguments("'it''s'", List.of("its")),
                arguments("'say \"hi\"'", List.of("say \"hi\"")),
                arguments("a\"b c\"d", List.of("ab cd")),
                arguments("a\\ b", List.of("a b")),
                arguments("\\\"x\\\"", List.of("\"x\"")),
                arguments("\\#not-a-comment", List.of("#not-a-comment")),
                arguments("''", List.of("")),
                arguments("a '' b \"\"", List.of("a", "", "b", "")),
                arguments("seven#eight", List.of("seven#eight")),
                arguments("one # two three", List.of("one")),
                arguments("one #two\nthree", List.of("one", "three")),
                arguments("one two#", List.of("one", "two#")),
                arguments("'$HOME' $HOME *.txt | x > y && z;", List.of("$HOME", "$HOME", "*.txt", "|", "x", ">", "y",
                        "&&", "z;")),
                arguments("sh -c 'echo \"hi there\"; exit 3'", List.of("sh", "-c", "echo \"hi there\"; exit 3")),
                arguments("héllo wörld ✓", List.of("héllo", "wörld", "✓")),
                arguments("", List.of()),
                arguments("   \t\n", List.of()),
                arguments("# only a comment", List.of()),
                arguments("# comment\n", List.of()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("splits")
    void splitsLikeShlex(String text, List<String> words) throws Exception {
        assertThat(ShellWords.split(text)).containsExactlyElementsOf(words);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                arguments("\"abc", "the double quote at column 1 is not closed"),
                arguments("a 'b c", "the single quote at column 3 is not closed"),
                arguments("a \"b\" 'c", "the single quote at column 7 is not closed"),
                arguments("abc\\", "it ends with a backslash that escapes nothing"),
                arguments("\"abc\\", "it ends with a backslash that escapes nothing"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("errors")
    void refusesWhatCannotBeSplit(String text, String message) {
        assertThatThrownBy(() -> ShellWords.split(text))
                .isInstanceOf(ShellWords.SyntaxException.class)
                .hasMessage(message);
    }
}

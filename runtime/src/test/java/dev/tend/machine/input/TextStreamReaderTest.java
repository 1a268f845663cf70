package dev.tend.machine.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The linear reader gives SnakeYAML's scanner what its own reader gives: the same nodes at the same marks. */
class TextStreamReaderTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "a: 1\nb: [x, y]\n",
            "\uFEFFname: bom\n",
            "crlf: 1\r\nnext: 2\r\n",
            "cr: 1\rnext: 2\r",
            "nel: 1\u0085ls: 2\u2028ps: 3\u2029end: 4\n",
            "emoji: \"\uD83D\uDE00 and more\"\nafter: \uD83D\uDE00x\n",
            "# comment\nblock: |\n  one\n  two\nfolded: >\n  three\n  four\n# last",
            "q: 'it''s'\nd: \"tab\\tand \\u00e9\"\nlist:\n  - &a {k: v}\n  - *a\n",
            "no newline at the end: true"})
    void marksAreThoseOfSnakeYamlsOwnReader(String yaml) {
        assertThat(marks(compose(new TextStreamReader(yaml)))).isEqualTo(marks(compose(new StreamReader(yaml))));
    }

    @Test
    void aLongLineIsReadWhole() {
        String comment = "x".repeat(3 * 1024 * 1024);
        Node root = compose(new TextStreamReader("a: 1\n# " + comment + "\nb: " + comment + "\n"));
        List<NodeTuple> tuples = ((MappingNode) root).getValue();
        assertThat(tuples).hasSize(2);
        assertThat(tuples.get(1).getValueNode().getStartMark().getLine()).isEqualTo(2);
        assertThat(((ScalarNode) tuples.get(1).getValueNode()).getValue()).hasSize(comment.length());
    }

    @Test
    void syntaxErrorsAreMarkedWhereSnakeYamlMarksThem() {
        String yaml = "a: 1\nb: [unclosed\nc: 2\n";
        assertThat(problemMark(new TextStreamReader(yaml))).isEqualTo(problemMark(new StreamReader(yaml)));
    }

    @Test
    void aCharacterYamlDoesNotAllowIsReportedAtItsPosition() {
        assertThatThrownBy(() -> new TextStreamReader("a: 1\nb: x\u0007y\n"))
                .isInstanceOfSatisfying(ReaderException.class, e -> {
                    assertThat(e.getPosition()).isEqualTo(9);
                    assertThat(e.getCodePoint()).isEqualTo(7);
                });
    }

    private static Node compose(StreamReader reader) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        return new Composer(new ParserImpl(reader, options), new Resolver(), options).getSingleNode();
    }

    private static String problemMark(StreamReader reader) {
        try {
            compose(reader);
            throw new AssertionError("no syntax error");
        } catch (MarkedYAMLException e) {
            return describe(e.getProblemMark()) + " " + e.getProblem();
        }
    }

    private static List<String> marks(Node node) {
        List<String> marks = new ArrayList<>();
        collect(node, marks);
        return marks;
    }

    private static void collect(Node node, List<String> marks) {
        marks.add(node.getNodeId() + " " + describe(node.getStartMark()) + "-" + describe(node.getEndMark()));
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                collect(t.getKeyNode(), marks);
                collect(t.getValueNode(), marks);
            }
        } else if (node instanceof SequenceNode s) {
            s.getValue().forEach(n -> collect(n, marks));
        }
    }

    private static String describe(Mark mark) {
        return mark.getIndex() + "@" + mark.getLine() + ":" + mark.getColumn();
    }
}

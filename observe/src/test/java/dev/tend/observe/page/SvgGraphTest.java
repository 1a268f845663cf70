package dev.tend.observe.page;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.TransitionDefinition;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SvgGraphTest {

    static MachineDefinition door() {
        return new MachineDefinition("door", "1.0.0", "closed", Duration.ZERO, List.of(
                new TransitionDefinition("open", List.of("closed"), "opened", "", List.of()),
                new TransitionDefinition("close", List.of("opened"), "closed", "", List.of()),
                new TransitionDefinition("break", List.of("opened", "closed"), "broken", "", List.of()),
                new TransitionDefinition("<script>alert(1)</script>", List.of("broken"), "closed", "", List.of()),
                new TransitionDefinition("check", List.of("broken"), "broken", "", List.of())),
                List.of(), Path.of("/m/door"), "sha");
    }

    @Test
    void theLayoutPlacesEveryStateApartAndEveryTransitionBetweenItsStates() {
        GraphPicture p = new GraphLayout().layout(door());

        assertThat(p.states()).extracting(GraphPicture.Box::state).containsExactly("broken", "closed", "opened");
        for (GraphPicture.Box a : p.states()) {
            assertThat(a.x() + a.width()).isLessThanOrEqualTo(p.width());
            assertThat(a.y() + a.height()).isLessThanOrEqualTo(p.height());
            for (GraphPicture.Box b : p.states()) {
                boolean apart = a.x() + a.width() <= b.x() || b.x() + b.width() <= a.x()
                        || a.y() + a.height() <= b.y() || b.y() + b.height() <= a.y();
                assertThat(a == b || apart).as("%s and %s overlap", a, b).isTrue();
            }
        }
        GraphPicture.Box initial = box(p, "closed");
        assertThat(initial.initial()).isTrue();
        assertThat(p.states()).allMatch(b -> b == initial || b.x() > initial.x(), "the initial state leftmost");
        // one arrow per (event, from), each starting on its source's border and ending on its destination's
        assertThat(p.transitions()).hasSize(6);
        for (GraphPicture.Arrow a : p.transitions()) {
            assertThat(a.points()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(onBorder(box(p, a.from()), a.points().get(0))).as("start of %s", a).isTrue();
            assertThat(onBorder(box(p, a.to()), a.points().get(a.points().size() - 1))).as("end of %s", a).isTrue();
        }
    }

    @Test
    void theSvgIsWellFormedEscapedAndMarksTheCurrentState() throws Exception {
        String svg = SvgGraph.svg(new GraphLayout().layout(door()), "opened", "door <graph>");
        assertThat(svg).doesNotContain("<script").contains("&lt;script&gt;alert(1)&lt;/script&gt;");

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(svg)));
        List<String> current = new ArrayList<>();
        List<String> states = new ArrayList<>();
        NodeList groups = doc.getElementsByTagName("g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if (g.hasAttribute("data-state")) {
                states.add(g.getAttribute("data-state"));
                if ((" " + g.getAttribute("class") + " ").contains(" current ")) {
                    current.add(g.getAttribute("data-state"));
                }
            }
        }
        assertThat(states).containsExactlyInAnyOrder("broken", "closed", "opened");
        assertThat(current).containsExactly("opened");
        assertThat(doc.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("door <graph>");
    }

    @Test
    void longNamesAreCutInThePicture() {
        String name = "s".repeat(100);
        assertThat(SvgGraph.cut(name)).hasSize(GraphLayout.MAX_CHARS).endsWith("\u2026");
        assertThat(GraphLayout.textWidth(name)).isEqualTo(GraphLayout.MAX_CHARS * GraphLayout.CHAR_WIDTH);
    }

    private static GraphPicture.Box box(GraphPicture p, String state) {
        return p.states().stream().filter(b -> b.state().equals(state)).findFirst().orElseThrow();
    }

    private static boolean onBorder(GraphPicture.Box b, GraphPicture.Point p) {
        double e = 0.5;
        boolean inX = p.x() >= b.x() - e && p.x() <= b.x() + b.width() + e;
        boolean inY = p.y() >= b.y() - e && p.y() <= b.y() + b.height() + e;
        boolean onVertical = Math.abs(p.x() - b.x()) <= e || Math.abs(p.x() - b.x() - b.width()) <= e;
        boolean onHorizontal = Math.abs(p.y() - b.y()) <= e || Math.abs(p.y() - b.y() - b.height()) <= e;
        return inX && inY && (onVertical || onHorizontal);
    }
}

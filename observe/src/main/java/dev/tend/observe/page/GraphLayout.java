package dev.tend.observe.page;

import dev.tend.machine.MachineDefinition;
import org.eclipse.elk.alg.layered.options.LayerConstraint;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeLabelPlacement;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out a machine's states and transitions with the Eclipse Layout Kernel's layered algorithm (left to right, edge
 * labels placed by the algorithm). Text is drawn in a monospace font of {@value #FONT_SIZE} px, so its width is known
 * without measuring fonts: {@value #CHAR_WIDTH} px a character.
 */
final class GraphLayout {
    static final double FONT_SIZE = 12;
    static final double CHAR_WIDTH = 7.25;
    static final double MARGIN = 8;
    private static final double BOX_PADDING = 12;
    private static final double BOX_HEIGHT = 28;
    private static final double LABEL_HEIGHT = 15;
    /** Longer names are cut to this many characters in the picture (the page shows them whole elsewhere). */
    static final int MAX_CHARS = 40;

    GraphPicture layout(MachineDefinition machine) {
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 40.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_LABEL, 3.0);

        Map<String, ElkNode> nodes = new LinkedHashMap<>();
        for (String state : machine.states()) {
            ElkNode node = ElkGraphUtil.createNode(root);
            node.setDimensions(textWidth(state) + 2 * BOX_PADDING, BOX_HEIGHT);
            if (state.equals(machine.initialState())) {
                // the initial state leftmost: the picture reads from where the machine starts
                node.setProperty(LayeredOptions.LAYERING_LAYER_CONSTRAINT, LayerConstraint.FIRST);
            }
            nodes.put(state, node);
        }
        Map<ElkEdge, String[]> edges = new LinkedHashMap<>();
        machine.transitionTable().forEach((event, byFrom) -> byFrom.forEach((from, to) -> {
            ElkEdge edge = ElkGraphUtil.createSimpleEdge(nodes.get(from), nodes.get(to));
            ElkLabel label = ElkGraphUtil.createLabel(event, edge);
            label.setDimensions(textWidth(event), LABEL_HEIGHT);
            label.setProperty(CoreOptions.EDGE_LABELS_PLACEMENT, EdgeLabelPlacement.CENTER);
            edges.put(edge, new String[] {event, from, to});
        }));

        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

        List<GraphPicture.Box> boxes = new ArrayList<>();
        nodes.forEach((state, n) -> boxes.add(new GraphPicture.Box(state, state.equals(machine.initialState()),
                n.getX() + MARGIN, n.getY() + MARGIN, n.getWidth(), n.getHeight())));
        List<GraphPicture.Arrow> arrows = new ArrayList<>();
        edges.forEach((edge, names) -> {
            List<GraphPicture.Point> points = new ArrayList<>();
            for (ElkEdgeSection s : edge.getSections()) {
                points.add(point(s.getStartX(), s.getStartY()));
                for (ElkBendPoint b : s.getBendPoints()) {
                    points.add(point(b.getX(), b.getY()));
                }
                points.add(point(s.getEndX(), s.getEndY()));
            }
            ElkLabel label = edge.getLabels().get(0);
            arrows.add(new GraphPicture.Arrow(names[0], names[1], names[2], points, label.getX() + MARGIN,
                    label.getY() + MARGIN));
        });
        return new GraphPicture(root.getWidth() + 2 * MARGIN, root.getHeight() + 2 * MARGIN, boxes, arrows);
    }

    /** The width of {@code text} as the picture draws it (cut to {@link #MAX_CHARS}). */
    static double textWidth(String text) {
        return Math.min(text.codePointCount(0, text.length()), MAX_CHARS) * CHAR_WIDTH;
    }

    private static GraphPicture.Point point(double x, double y) {
        return new GraphPicture.Point(x + MARGIN, y + MARGIN);
    }
}

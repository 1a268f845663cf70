package dev.tend.observe.page;

import java.util.List;

/**
 * A machine's state graph once laid out: where each state's box, each transition's line and its label go, in SVG user
 * units (pixels), the origin at the picture's top left.
 */
record GraphPicture(double width, double height, List<Box> states, List<Arrow> transitions) {

    GraphPicture {
        states = List.copyOf(states);
        transitions = List.copyOf(transitions);
    }

    /** A state's box; {@code initial} for the state the machine starts in. */
    record Box(String state, boolean initial, double x, double y, double width, double height) {
    }

    /** A transition's line through {@code points} (at least two), and its label's top left corner. */
    record Arrow(String event, String from, String to, List<Point> points, double labelX, double labelY) {
        Arrow {
            points = List.copyOf(points);
        }
    }

    record Point(double x, double y) {
    }
}

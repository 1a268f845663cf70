package dev.tend.cli.e2e;

import java.util.List;

/**
 * {@link FleetNatsIT}'s flow on one node with the embedded store: the node is a web node in zone a, so it runs both
 * published machines, and {@code tend fleet status}, which needs machine events on NATS, says so.
 */
class FleetEmbeddedIT extends FleetNatsIT {
    @Override
    Tend.Backend backend() {
        return Tend.Backend.EMBEDDED;
    }

    @Override
    List<NodeSpec> fleet() {
        return List.of(new NodeSpec("web1", "web", "a"));
    }
}

package dev.tend.observe.page;

import dev.tend.machine.MachineDefinition;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Laid-out graphs by machine file ({@code machine.yaml}'s SHA-256 and name): a machine's graph is laid out once per
 * version of its file, not per page view. Holds the {@value #CAPACITY} most recently used.
 */
final class GraphCache {
    static final int CAPACITY = 512;

    private final GraphLayout layout;
    private final Map<String, GraphPicture> pictures = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, GraphPicture> eldest) {
            return size() > CAPACITY;
        }
    };

    GraphCache(GraphLayout layout) {
        this.layout = layout;
    }

    GraphPicture picture(MachineDefinition machine) {
        String key = machine.sha256() + ' ' + machine.name();
        synchronized (pictures) {
            GraphPicture p = pictures.get(key);
            if (p != null) {
                return p;
            }
        }
        // laid out outside the lock: two views of a new file may both lay it out, the same picture either way
        GraphPicture p = layout.layout(machine);
        synchronized (pictures) {
            pictures.put(key, p);
        }
        return p;
    }
}

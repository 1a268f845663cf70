package dev.tend.cli.machine;

import dev.tend.cli.output.Json;
import dev.tend.cli.output.TimeFormat;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.WatcherStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The information block of {@code tend machine info}, in the style of {@code tend kv info}: a title, then labels
 * right-aligned; then, when loading the file warned, the warnings, one a line; then one block per watcher with its own
 * state fields.
 */
final class MachineInfoBlock {

    private MachineInfoBlock() {
    }

    static String render(MachineStatus s, TimeFormat times) {
        StringBuilder sb = new StringBuilder();
        sb.append("Machine ").append(s.name()).append("\n\n");
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"Name", s.name()});
        lines.add(new String[] {"Version", s.version()});
        lines.add(new String[] {"State", s.state()});
        lines.add(new String[] {"Path", s.path()});
        lines.add(new String[] {"Instance ID", s.instanceId()});
        lines.add(new String[] {"Started", s.startTime() == null ? "not yet" : times.table(s.startTime())});
        lines.add(new String[] {"Transitions", transitions(s.availableTransitions(), "none")});
        lines.add(new String[] {"Watchers", Integer.toString(s.watchers().size())});
        if (!s.warnings().isEmpty()) {
            lines.add(new String[] {"Warnings", Integer.toString(s.warnings().size())});
        }
        labelled(sb, lines);
        if (!s.warnings().isEmpty()) {
            sb.append("\nWarnings\n\n");
            s.warnings().forEach(w -> sb.append(' ').append(w).append('\n'));
        }
        for (WatcherStatus w : s.watchers()) {
            sb.append("\nWatcher ").append(w.name()).append("\n\n");
            List<String[]> wl = new ArrayList<>();
            wl.add(new String[] {"Type", w.type()});
            wl.add(new String[] {"Active", w.active() ? "yes" : "no"});
            for (Map.Entry<String, Object> f : w.state().entrySet()) {
                wl.add(new String[] {f.getKey(), value(f.getValue())});
            }
            labelled(sb, wl);
        }
        return sb.toString();
    }

    /** The available transitions, comma-separated, or {@code none}. */
    static String transitions(List<String> names, String none) {
        return names.isEmpty() ? none : String.join(", ", names);
    }

    /** A watcher's field: text as is, anything else as compact JSON. */
    private static String value(Object v) {
        if (v instanceof String text) {
            return text;
        }
        return Json.compact(v);
    }

    private static void labelled(StringBuilder sb, List<String[]> lines) {
        int width = 0;
        for (String[] l : lines) {
            width = Math.max(width, l[0].length());
        }
        for (String[] l : lines) {
            sb.append(" ".repeat(width + 1 - l[0].length())).append(l[0]).append(": ").append(l[1]).append('\n');
        }
    }
}

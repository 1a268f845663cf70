package dev.tend.cli.machine;

import dev.tend.cli.output.Json;
import dev.tend.cli.output.TimeFormat;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.Problem;
import dev.tend.machine.WatcherStatus;
import dev.tend.machine.control.ControlProtocol;
import dev.tend.machine.event.DurationFields;
import dev.tend.machine.spi.WatcherRun;
import dev.tend.units.Durations;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The information block of {@code tend machine info}, in the style of {@code tend kv info}: a title, then labels
 * right-aligned (with the time in the current state when the agent tells it, and for a machine that resumes its state
 * whether it resumed the saved one); then, when loading the file warned, the
 * warnings, one a line; then the machine's data when it has some; then one block per watcher with its own state fields
 * (durations as Go writes them), its latest run (outcome, exit code, duration, start, and the end of its output,
 * indented) and what it does next.
 */
final class MachineInfoBlock {

    private MachineInfoBlock() {
    }

    /** The block of {@code s}, with the time in its state and until its watchers' next steps as they are at {@code now}. */
    static String render(MachineStatus s, TimeFormat times, Instant now) {
        StringBuilder sb = new StringBuilder();
        sb.append("Machine ").append(s.name()).append("\n\n");
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"Name", s.name()});
        lines.add(new String[] {"Version", s.version()});
        lines.add(new String[] {"State", s.state()});
        if (s.stateSince() != null) {
            lines.add(new String[] {"In state", human(s.timeInState(now))
                    + (s.stateSince() == null ? "" : ", since " + times.table(s.stateSince()))});
        }
        if (s.resume() != null) {
            lines.add(new String[] {"Resume", s.resume().resumed()
                    ? "resumed state " + s.resume().state() + " saved at " + times.table(s.resume().saved())
                    : "started in its initial state: " + s.resume().reason() + " (at "
                            + times.table(s.resume().saved()) + ")"});
        }
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
            // Loops rather than lambdas or streams here: a short command's first one costs it milliseconds.
            for (Problem w : s.warnings()) {
                sb.append(' ').append(w).append('\n');
            }
        }
        if (!s.data().isEmpty()) {
            sb.append("\nData\n\n");
            List<String[]> data = new ArrayList<>();
            for (Map.Entry<String, Object> e : s.data().entrySet()) {
                data.add(new String[] {e.getKey(), value(e.getValue())});
            }
            labelled(sb, data);
        }
        for (WatcherStatus w : s.watchers()) {
            sb.append("\nWatcher ").append(w.name()).append("\n\n");
            List<String[]> wl = new ArrayList<>();
            wl.add(new String[] {"Type", w.type()});
            wl.add(new String[] {"Active", w.active() ? "yes" : "no"});
            for (Map.Entry<String, Object> f : DurationFields.readable(w.state()).entrySet()) {
                wl.add(new String[] {f.getKey(), value(f.getValue())});
            }
            WatcherRun run = w.lastRun();
            if (run != null) {
                wl.add(new String[] {"Last run", run(run, times)});
            }
            if (w.next() != null) {
                wl.add(new String[] {"Next", w.next().what()
                        + " in " + human(w.nextIn(now))
                        + " (" + times.table(w.next().at()) + ")"});
            }
            labelled(sb, wl);
            if (run != null && !run.outputTail().isEmpty()) {
                sb.append("\n Output of the last run (its end):\n\n");
                lines(sb, run.outputTail());
            }
        }
        return sb.toString();
    }

    /** Each line of {@code text} (as {@link String#lines} splits it) indented by three spaces. */
    static void lines(StringBuilder sb, String text) {
        int start = 0;
        while (start < text.length()) {
            int end = start;
            while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            sb.append("   ").append(text, start, end).append('\n');
            if (end + 1 < text.length() && text.charAt(end) == '\r' && text.charAt(end + 1) == '\n') {
                end++;
            }
            start = end + 1;
        }
    }

    /** {@code error, exit code 1, took 1.503s, at 07 Dec 26 13:40 UTC}. */
    static String run(WatcherRun run, TimeFormat times) {
        StringBuilder b = new StringBuilder(run.outcome());
        if (run.exitCode() != null) {
            b.append(", exit code ").append(run.exitCode());
        }
        b.append(", took ").append(Durations.format(run.duration().truncatedTo(ChronoUnit.MILLIS)));
        b.append(", at ").append(times.table(run.started()));
        return b.toString();
    }

    /** A duration for a person: whole seconds from a second up ({@code 9m58s}), else milliseconds ({@code 250ms}). */
    static String human(Duration d) {
        Duration shown = d.compareTo(Duration.ofSeconds(1)) >= 0 ? d.truncatedTo(ChronoUnit.SECONDS)
                : d.truncatedTo(ChronoUnit.MILLIS);
        return Durations.format(shown);
    }

    /** The available transitions, comma-separated, or {@code none}. */
    static String transitions(List<String> names, String none) {
        return names.isEmpty() ? none : String.join(", ", names);
    }

    /**
     * A field: text as is, a duration as Go writes it, anything else as compact JSON (as the object mapper writes it,
     * made as the protocol's tree of it: no object mapper for the values an answer holds).
     */
    static String value(Object v) {
        if (v instanceof String text) {
            return text;
        }
        if (v instanceof Duration d) {
            return Durations.format(d);
        }
        return Json.compact(ControlProtocol.value(v));
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

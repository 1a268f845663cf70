package dev.tend.watchers.perfdata;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Nagios plugin's output, parsed: {@code TEXT | PERFDATA} on the first line, then optional long text whose first
 * {@code |} starts more performance data, which may go on over the following lines. Performance data is a blank-separated
 * list of {@code label=value[UOM];[warn];[crit];[min];[max]}; a label with blanks is single-quoted ({@code ''} for a
 * quote). An item whose value is not a number (e.g. {@code U}, unknown) is left out.
 *
 * @param text     the first line before its {@code |}, stripped
 * @param longText the following lines before the performance data, stripped
 * @param perfData every performance data item, in order
 */
public record PluginOutput(String text, String longText, List<PerfData> perfData) {

    /** A number, then one of the reference's units (anything else after the number is no unit). */
    private static final Pattern VALUE = Pattern.compile("^([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)"
            + "(us|ms|s|%|KB|MB|TB|B|c)?");

    public PluginOutput {
        perfData = List.copyOf(perfData);
    }

    public static PluginOutput parse(String output) {
        String[] lines = output.strip().split("\r?\n", -1);
        String first = lines[0];
        StringBuilder perf = new StringBuilder();
        String text = first;
        int bar = first.indexOf('|');
        if (bar >= 0) {
            text = first.substring(0, bar);
            perf.append(first.substring(bar + 1));
        }
        StringBuilder longText = new StringBuilder();
        boolean inPerf = false;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (inPerf) {
                perf.append(' ').append(line);
                continue;
            }
            int b = line.indexOf('|');
            if (b >= 0) {
                inPerf = true;
                longText.append(line, 0, b);
                perf.append(' ').append(line.substring(b + 1));
            } else {
                longText.append(line).append('\n');
            }
        }
        return new PluginOutput(text.strip(), longText.toString().strip(), items(perf.toString()));
    }

    private static List<PerfData> items(String perf) {
        List<PerfData> items = new ArrayList<>();
        int i = 0;
        int n = perf.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(perf.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            StringBuilder label = new StringBuilder();
            if (perf.charAt(i) == '\'') {
                i++;
                while (i < n) {
                    char c = perf.charAt(i);
                    if (c == '\'') {
                        if (i + 1 < n && perf.charAt(i + 1) == '\'') {
                            label.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    label.append(c);
                    i++;
                }
            }
            int start = i;
            while (i < n && !Character.isWhitespace(perf.charAt(i))) {
                i++;
            }
            String rest = perf.substring(start, i);
            int eq = rest.indexOf('=');
            if (eq < 0) {
                continue;
            }
            label.append(rest, 0, eq);
            String value = rest.substring(eq + 1);
            int semi = value.indexOf(';');
            if (semi >= 0) {
                value = value.substring(0, semi);
            }
            Matcher m = VALUE.matcher(value);
            if (label.length() == 0 || !m.find()) {
                continue;
            }
            items.add(new PerfData(label.toString().replace(' ', '_'), Double.parseDouble(m.group(1)),
                    m.group(2) == null ? "" : m.group(2)));
        }
        return items;
    }
}

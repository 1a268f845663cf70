package dev.tend.cli.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A session's commands and what they printed, normalised so it can be compared with a golden file: dates and
 * times become placeholders, the temporary store's path becomes {@code $STORE}.
 *
 * <p>Format: {@code $ tend ARGS} (with {@code < stdin: TEXT} when input was given), then stdout as printed,
 * {@code [no newline at end]} when stdout did not end with one, stderr lines prefixed {@code !}, and
 * {@code [exit N]} when the status was not 0.
 */
final class Transcript {

    private static final List<Object[]> RULES = List.of(
            // 13 Jul 21 10:38 UTC (tables and headers)
            new Object[] {Pattern.compile("\\b\\d{2} [A-Z][a-z]{2} \\d{2} \\d{2}:\\d{2} UTC\\b"), "DD Mon YY HH:MM UTC"},
            // [2021-07-13 12:38:10] (watch lines)
            new Object[] {Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\b"), "YYYY-MM-DD HH:MM:SS"},
            // RFC 3339 (JSON)
            new Object[] {Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z"), "RFC3339"});

    private final List<String> lines = new ArrayList<>();
    private final String storePath;

    /** @param store the store as the commands were given it (TEND_STORE); printed as {@code $STORE} */
    Transcript(String store) {
        this.storePath = store;
    }

    void record(Tend.Result r, String stdin) {
        lines.add("$ " + r.command() + (stdin == null ? "" : "   < stdin: " + stdin.replace("\n", "\\n")));
        String out = r.out();
        if (!out.isEmpty()) {
            out.lines().forEach(lines::add);
            if (!out.endsWith("\n")) {
                lines.add("[no newline at end]");
            }
        }
        r.err().lines().forEach(l -> lines.add("! " + l));
        if (r.code() != 0) {
            lines.add("[exit " + r.code() + "]");
        }
    }

    void note(String line) {
        lines.add("# " + line);
    }

    List<String> normalised() {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String s = l.replace(storePath, "$STORE");
            for (Object[] rule : RULES) {
                s = ((Pattern) rule[0]).matcher(s).replaceAll((String) rule[1]);
            }
            out.add(s.stripTrailing());
        }
        return out;
    }

    /**
     * Compares with the golden file; on a difference, fails with a unified-style diff. With
     * {@code -Dtend.golden.update=true} writes the golden file instead (review it before committing).
     */
    void assertMatchesGolden(String resource) throws IOException {
        assertMatchesGolden(resource, Map.of());
    }

    /**
     * Compares with the golden file in which each line equal to a key of {@code changedLines} is expected as its
     * value instead: where another backend legitimately prints something else. Each such line must be in the golden
     * file, so a change names exactly what differs. The golden file is only ever written without changes.
     */
    void assertMatchesGolden(String resource, Map<String, String> changedLines) throws IOException {
        List<String> actual = normalised();
        Path source = Path.of(System.getProperty("tend.golden.dir", "src/test/resources/golden"))
                .resolve(resource);
        if (changedLines.isEmpty() && Boolean.getBoolean("tend.golden.update")) {
            Files.createDirectories(source.getParent());
            Files.write(source, actual, StandardCharsets.UTF_8);
            return;
        }
        List<String> expected;
        try (var in = Transcript.class.getResourceAsStream("/golden/" + resource)) {
            if (in == null) {
                throw new AssertionError("golden file golden/" + resource + " is missing; the session was:\n"
                        + String.join("\n", actual));
            }
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        for (String line : changedLines.keySet()) {
            if (!expected.contains(line)) {
                throw new AssertionError("golden/" + resource + " has no line \"" + line + "\" to expect otherwise");
            }
        }
        expected = expected.stream().map(l -> changedLines.getOrDefault(l, l)).toList();
        if (!expected.equals(actual)) {
            throw new AssertionError("the session differs from golden/" + resource
                    + " (- expected, + actual; rerun with -Dtend.golden.update=true to accept):\n"
                    + diff(expected, actual));
        }
    }

    /** A line diff (longest common subsequence), with two lines of context. */
    static String diff(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                ops.add("  " + a.get(i));
                i++;
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add("- " + a.get(i++));
            } else {
                ops.add("+ " + b.get(j++));
            }
        }
        StringBuilder sb = new StringBuilder();
        int last = -10;
        for (int k = 0; k < ops.size(); k++) {
            boolean near = false;
            for (int d = -2; d <= 2; d++) {
                int x = k + d;
                if (x >= 0 && x < ops.size() && !ops.get(x).startsWith("  ")) {
                    near = true;
                    break;
                }
            }
            if (near) {
                if (k != last + 1) {
                    sb.append("@@ line ").append(k + 1).append('\n');
                }
                sb.append(ops.get(k)).append('\n');
                last = k;
            }
        }
        return sb.toString();
    }
}

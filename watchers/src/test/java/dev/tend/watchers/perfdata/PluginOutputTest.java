package dev.tend.watchers.perfdata;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Nagios plugin output format: text, long text and performance data. */
class PluginOutputTest {

    @Test
    void aLineWithoutPerformanceDataIsAllText() {
        PluginOutput out = PluginOutput.parse("WARNING: hello\n");
        assertThat(out.text()).isEqualTo("WARNING: hello");
        assertThat(out.longText()).isEmpty();
        assertThat(out.perfData()).isEmpty();
    }

    @Test
    void performanceDataFollowsTheBar() {
        PluginOutput out = PluginOutput.parse("DISK OK - free space: / 80891MiB (77% inode=97%);| "
                + "/=24122490880B;243497277849;257024904396;0;270552530944");
        assertThat(out.text()).isEqualTo("DISK OK - free space: / 80891MiB (77% inode=97%);");
        assertThat(out.perfData()).containsExactly(new PerfData("/", 24122490880d, "B"));
    }

    @Test
    void unitsThresholdsAndSeveralItems() {
        PluginOutput out = PluginOutput.parse("OK | time=0.5s;1;2;0; load=1.25;; pct=99.5%;90;95 "
                + "c=12c rt=300ms big=1.5e3KB neg=-4 plain=7");
        assertThat(out.perfData()).containsExactly(
                new PerfData("time", 0.5, "s"), new PerfData("load", 1.25, ""), new PerfData("pct", 99.5, "%"),
                new PerfData("c", 12, "c"), new PerfData("rt", 300, "ms"), new PerfData("big", 1500, "KB"),
                new PerfData("neg", -4, ""), new PerfData("plain", 7, ""));
    }

    @Test
    void quotedLabelsMayHoldBlanksAndQuotes() {
        PluginOutput out = PluginOutput.parse("OK | 'disk usage'=5MB 'it''s'=1");
        assertThat(out.perfData()).containsExactly(new PerfData("disk_usage", 5, "MB"), new PerfData("it's", 1, ""));
    }

    @Test
    void anUnknownValueOrAnItemWithoutValueIsLeftOut() {
        PluginOutput out = PluginOutput.parse("OK | a=U;1;2 b c= d=3");
        assertThat(out.perfData()).containsExactly(new PerfData("d", 3, ""));
    }

    @Test
    void longTextAndPerformanceDataOverSeveralLines() {
        PluginOutput out = PluginOutput.parse("""
                DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968
                / 15272 MB (77%);
                /boot 68 MB (69%);
                /home 69357 MB (27%);
                /var/log 819 MB (84%); | /boot=68MB;88;93;0;98
                /home=69357MB;253404;253409;0;253414
                /var/log=818MB;970;975;0;980
                """);
        assertThat(out.text()).isEqualTo("DISK OK - free space: / 3326 MB (56%);");
        assertThat(out.longText()).isEqualTo("/ 15272 MB (77%);\n/boot 68 MB (69%);\n/home 69357 MB (27%);\n"
                + "/var/log 819 MB (84%);");
        assertThat(out.perfData()).extracting(PerfData::label).containsExactly("/", "/boot", "/home", "/var/log");
        assertThat(out.perfData().get(3)).isEqualTo(new PerfData("/var/log", 818, "MB"));
    }

    @Test
    void emptyOutput() {
        PluginOutput out = PluginOutput.parse("");
        assertThat(out.text()).isEmpty();
        assertThat(out.perfData()).isEmpty();
    }
}

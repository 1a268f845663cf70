package dev.tend.cli;

import dev.tend.cli.store.StoreModeSetting;
import dev.tend.cli.store.StoreOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tend kv} and {@code tend governor} take their store options from one mixin, {@link StoreOptions}. */
class SharedStoreOptionsTest {

    private static CommandLine tend() {
        return new Cli(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.of())
                .commandLine(false);
    }

    /** Each option's names and description, by its longest name. */
    private static Map<String, String> storeOptions(CommandSpec spec) {
        Map<String, String> m = new TreeMap<>();
        for (OptionSpec o : spec.options()) {
            if (!o.longestName().equals("--help") && !o.longestName().equals("--version")) {
                m.put(o.longestName(), String.join(",", o.names()) + " " + o.scopeType() + " "
                        + String.join(" ", o.description()));
            }
        }
        return m;
    }

    @Test
    void kvAndGovernorMixInTheSameStoreOptions() {
        CommandLine tend = tend();
        CommandSpec kv = tend.getSubcommands().get("kv").getCommandSpec();
        CommandSpec governor = tend.getSubcommands().get("governor").getCommandSpec();

        assertThat(kv.mixins().values()).anyMatch(m -> m.userObject() instanceof StoreOptions);
        assertThat(governor.mixins().values()).anyMatch(m -> m.userObject() instanceof StoreOptions);
        assertThat(storeOptions(governor)).isEqualTo(storeOptions(kv))
                .containsKeys("--store", StoreModeSetting.OPTION, "--nats-timeout", "--creds");
        assertThat(storeOptions(kv).values()).allMatch(d -> d.contains(" INHERIT "));
    }

    @Test
    void aSubcommandInheritsThem() {
        CommandSpec rm = tend().getSubcommands().get("governor").getSubcommands().get("rm").getCommandSpec();
        assertThat(rm.findOption("--store")).isNotNull();
        assertThat(rm.findOption("--nats-timeout")).isNotNull();
    }

    @Test
    void setIsOnceEachAsPicocliParses() {
        StoreOptions o = new StoreOptions();
        assertThat(o.set("--store", "/a")).isTrue();
        assertThat(o.set("--store", "/b")).isFalse();
        assertThat(o.set(StoreModeSetting.OPTION, "group")).isTrue();
        assertThat(o.set(StoreModeSetting.OPTION, "owner")).isFalse();
        assertThat(o.selection(Map.of()).url()).isEqualTo("/a");
    }
}

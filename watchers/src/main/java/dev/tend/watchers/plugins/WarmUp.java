package dev.tend.watchers.plugins;

import dev.tend.fleet.spec.PluginItem;
import dev.tend.fleet.spec.PluginSpec;
import dev.tend.fleet.spec.SigningKey;
import dev.tend.fleet.spec.SpecException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's code, run once on a made-up specification while the watcher waits for a real one: reading and verifying a
 * signed specification, evaluating a matcher, rendering a manager machine. In a JVM that has just started on a busy
 * machine the first run of that code takes seconds (loading, verifying and interpreting the classes); done before the
 * first specification arrives, it is off the path from a publish to the machine running. Writes nothing, publishes
 * nothing, reads no data.
 */
final class WarmUp {

    private static final String SEED = "00".repeat(32);
    private static final PluginItem ITEM = PluginItem.of("warm", "kv://WARM/warm-1.0.0.tar.gz", "00", "00")
            // Every matcher function once; has_command looks for a name no node has, so the path taken is the same.
            .withMatch("identity('^warm') && get_fact('role') == 'web' && !has_file('/warm')"
                    + " || has_command('tend-warm-up-no-such-command')");

    private WarmUp() {
    }

    /** Blocks: runs as the watcher's blocking work. */
    static void run(ManagerSettings settings, NodeMatcher matcher, String identity, String target) {
        try {
            SigningKey key = SigningKey.fromSeedHex(SEED);
            PluginSpec spec = PluginSpec.of(List.of(ITEM)).signedWith(key);
            List<PluginItem> items = SpecReader.read(SpecForm.PLUGINS, Map.of("plugins", spec.plugins(), "signature",
                    spec.signature()), Optional.of(key.publicKey().hex()));
            for (PluginItem item : items) {
                matcher.matches(item.match(), identity, Map.of("role", "db"));
                ManagerMachineYaml.render(settings.form(), settings.prefix(), item, "2m0s", target);
            }
        } catch (SpecException | InvalidSpecException | NodeMatcher.MatchException e) {
            // nothing depends on it: a real run reports its own problems
        }
    }
}

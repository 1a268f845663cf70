package dev.tend.cli.config;

import dev.tend.cli.settings.ConfigKey;
import dev.tend.cli.settings.ConfigKeys;
import dev.tend.cli.settings.Source;
import dev.tend.cli.store.ConfigLookup;
import dev.tend.machine.agent.AgentPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commented sample configuration, {@code cli/src/main/dist/tend.yaml} (shipped as {@code /etc/tend/tend.yaml}):
 * as shipped it sets nothing; with every setting uncommented it parses, names every key the commands read and no
 * other, and each value is valid where {@code tend config} checks it. docs/configuration.md names every key and
 * variable.
 */
class SampleConfigTest {

    private static final Path SAMPLE = Path.of("src/main/dist/tend.yaml");
    /** A commented-out setting: {@code #key: value} or, in a mapping, {@code #  field: value}. */
    private static final Pattern SETTING = Pattern.compile("^#(\\s*[a-z_.]+:(\\s.*)?)$");

    @TempDir
    Path tmp;

    private Path uncommented() throws IOException {
        String text = Files.readAllLines(SAMPLE).stream()
                .map(l -> SETTING.matcher(l).matches() ? SETTING.matcher(l).replaceFirst("$1") : l)
                .collect(Collectors.joining("\n", "", "\n"));
        Path file = tmp.resolve("tend.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void asShippedItSetsNothing() {
        assertThat(ConfigLookup.topLevelKeys(SAMPLE)).isEmpty();
    }

    @Test
    void uncommentedItNamesEveryKeyTheCommandsReadAndNoOther() throws IOException {
        assertThat(ConfigLookup.topLevelKeys(uncommented()).keySet())
                .containsExactlyInAnyOrderElementsOf(ConfigKeys.TOP_LEVEL);
    }

    @Test
    void uncommentedEveryShownSettingComesFromItAndIsValid() throws IOException {
        Path file = uncommented();
        Map<String, String> env = Map.of("HOME", tmp.toString());
        EffectiveSettings settings = new EffectiveSettings(env, List.of(file), AgentPaths.defaults(true, env));
        StringBuilder warnings = new StringBuilder();
        settings.warnUnknownKeys(warnings::append);
        assertThat(warnings).isEmpty();
        List<EffectiveSettings.Row> rows = settings.rows(new EffectiveSettings.Flags(null, null, null, null, null,
                null, null, null, null, null));
        assertThat(rows).extracting(EffectiveSettings.Row::key)
                .containsExactlyElementsOf(ConfigKeys.SHOWN.stream().map(ConfigKey::key).toList());
        assertThat(rows).allSatisfy(r -> assertThat(r.source().kind()).as(r.key()).isEqualTo(Source.Kind.FILE));
        AgentPaths root = AgentPaths.defaults(true, env);
        assertThat(rows).filteredOn(r -> r.key().equals("socket")).singleElement()
                .extracting(EffectiveSettings.Row::value).isEqualTo(root.socket().toString());
        assertThat(rows).filteredOn(r -> r.key().equals("machines")).singleElement()
                .extracting(EffectiveSettings.Row::value).isEqualTo(root.machines().toString());
    }

    @Test
    void theDocumentationNamesEveryKeyAndVariable() throws IOException {
        String doc = Files.readString(Path.of("../docs/configuration.md"));
        assertThat(ConfigKeys.TOP_LEVEL).allSatisfy(k -> assertThat(doc).contains("`" + k + "`"));
        assertThat(ConfigKeys.SHOWN).allSatisfy(k -> assertThat(doc).contains("`" + k.env() + "`")
                .contains("`" + k.option()));
    }
}

package dev.tend.watchers.plugins;

import dev.tend.fleet.spec.PluginItem;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manager machine written for one item: the same bytes Choria's watchers write (their Go templates, whose values
 * are inserted as they are, inside double quotes), so a node's files are the same under either agent. The
 * {@code plugins} form names the machine {@code <prefix>_<name>} and lists the archive properties in alphabetical order;
 * the {@code machines} form's name is {@code mm_<name>}, its properties in another order.
 */
final class ManagerMachineYaml {

    private static final String PLUGINS = """
            name: "{{ .NamePrefix }}_{{ .Name }}"
            version: 1.0.0
            initial_state: MANAGE

            transitions:
              - name: enter_maintenance
                from: [ MANAGE ]
                destination: MAINTENANCE

              - name: resume
                from: [ MAINTENANCE ]
                destination: MANAGE

            watchers:
              - name: download
                type: archive
                interval: "{{.Interval}}"
                state_match:
                  - MANAGE
                properties:
                  checksum: "{{ .ArchiveChecksum }}"
                  creates: "{{ .Name }}"
                  governor: "{{ .Governor }}"
                  password: "{{ .Password }}"
                  source: "{{.Source}}"
                  target: "{{ .Target }}"
                  username: "{{ .Username }}"
                  verify: "SHA256SUMS"
                  verify_checksum: "{{ .ContentChecksumsChecksum }}"
            """;

    private static final String MACHINES = """
            name: "mm_{{ .Name }}"
            version: 1.0.0
            initial_state: MANAGE

            transitions:
              - name: enter_maintenance
                from: [ MANAGE ]
                destination: MAINTENANCE

              - name: resume
                from: [ MAINTENANCE ]
                destination: MANAGE

            watchers:
              - name: download
                type: archive
                interval: "{{.Interval}}"
                state_match:
                  - MANAGE
                properties:
                  source: "{{.Source}}"
                  checksum: "{{ .ArchiveChecksum }}"
                  verify: "SHA256SUMS"
                  verify_checksum: "{{ .ContentChecksumsChecksum }}"
                  creates: "{{ .Name }}"
                  target: "{{ .Target }}"
                  username: "{{ .Username }}"
                  password: "{{ .Password }}"
                  governor: "{{ .Governor }}"
            """;

    private static final Pattern FIELD = Pattern.compile("\\{\\{ ?\\.(\\w+) ?}}");

    private ManagerMachineYaml() {
    }

    /**
     * @param form     which watcher's file
     * @param prefix   the manager machine prefix (the {@code machines} form's is always {@code mm})
     * @param item     the item, whose values were checked to be writable between double quotes
     * @param interval the archive watcher's interval, as Go writes a duration ({@code 2m0s})
     * @param target   the directory the archive is extracted into
     */
    static String render(SpecForm form, String prefix, PluginItem item, String interval, String target) {
        Map<String, String> values = Map.of(
                "NamePrefix", prefix,
                "Name", item.name(),
                "Interval", interval,
                "ArchiveChecksum", item.checksum(),
                "Governor", item.governor(),
                "Password", item.password(),
                "Source", item.source(),
                "Target", target,
                "Username", item.username(),
                "ContentChecksumsChecksum", item.verifyChecksum());
        Matcher m = FIELD.matcher(form == SpecForm.PLUGINS ? PLUGINS : MACHINES);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }
}

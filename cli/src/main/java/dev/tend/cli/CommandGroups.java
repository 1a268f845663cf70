package dev.tend.cli;

import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The top command's list of commands, in groups under headings: the store's commands, the agent's and its machines',
 * then help and any other.
 */
final class CommandGroups implements IHelpSectionRenderer {

    /** Each group's heading and its commands' names, in the order help lists them. */
    private static final Map<String, List<String>> GROUPS = groups();

    private static Map<String, List<String>> groups() {
        Map<String, List<String>> g = new LinkedHashMap<>();
        g.put("The store:", List.of("kv", "governor"));
        g.put("Machines and the agent that runs them:", List.of("agent", "machine", "fleet"));
        return g;
    }

    @Override
    public String render(Help help) {
        // picocli sizes the names' column to the longest key of the map it is given (the keys are not printed):
        // keys padded to the longest of all line every group's descriptions up.
        int width = 1;
        for (String key : help.subcommands().keySet()) {
            width = Math.max(width, key.length());
        }
        Map<String, Help> rest = new LinkedHashMap<>();
        for (Map.Entry<String, Help> e : help.subcommands().entrySet()) {
            rest.put(String.format("%-" + width + "s", e.getKey()), e.getValue());
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, List<String>> group : GROUPS.entrySet()) {
            Map<String, Help> listed = new LinkedHashMap<>();
            for (String name : group.getValue()) {
                rest.entrySet().removeIf(e -> {
                    if (e.getValue().commandSpec().name().equals(name)) {
                        listed.put(e.getKey(), e.getValue());
                        return true;
                    }
                    return false;
                });
            }
            if (!listed.isEmpty()) {
                text.append(group.getKey()).append(System.lineSeparator()).append(help.commandList(listed));
            }
        }
        if (!rest.isEmpty()) {
            text.append("More:").append(System.lineSeparator()).append(help.commandList(rest));
        }
        return text.toString();
    }
}

package dev.tend.machine.load;

import java.util.List;
import java.util.Optional;

/**
 * The loader's view of a YAML document: scalars keep the text written (so {@code on} stays the string "on"), and every
 * node keeps the 1-based line it starts on, for messages. Aliases are expanded and merge keys ({@code <<}) applied.
 */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Sequence, YamlNode.Mapping {

    int line();

    /** How a message names this node's kind: {@code a list}, {@code a mapping} or the quoted text. */
    String describe();

    /**
     * A scalar as written.
     *
     * @param plain true for an unquoted scalar without a {@code !!str} tag: its JSON type is resolved from its text
     *              (YAML 1.2 core schema); false for quoted and block scalars, which are always strings
     */
    record Scalar(int line, String text, boolean plain) implements YamlNode {

        /** An empty value, {@code ~} or {@code null} written without quotes. */
        boolean isNull() {
            return plain && CoreScalars.isNull(text);
        }

        @Override
        public String describe() {
            return isNull() ? "empty" : '"' + MessageText.shorten(text) + '"';
        }
    }

    record Sequence(int line, List<YamlNode> items) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    record Mapping(int line, List<Entry> entries) implements YamlNode {
        public Mapping {
            entries = List.copyOf(entries);
        }

        /** A loop, not a stream: the readers look up every field of every item (thousands in a large machine). */
        Optional<Entry> entry(String key) {
            for (Entry e : entries) {
                if (e.key().equals(key)) {
                    return Optional.of(e);
                }
            }
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** One key of a mapping, with the line of the key (where a person looks for the field). */
    record Entry(String key, int keyLine, YamlNode value) {
    }
}

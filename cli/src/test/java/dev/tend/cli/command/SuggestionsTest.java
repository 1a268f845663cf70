package dev.tend.cli.command;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuggestionsTest {

    private static final List<String> KV = List.of("help", "add", "put", "create", "update", "get", "del", "purge",
            "rm", "history", "watch", "info", "status", "ls", "list", "keys", "compact", "edit", "backup", "restore",
            "check");

    @Test
    void aShortNameOneEditAwayIsSuggested() {
        assertThat(Suggestions.of("pt", KV, List.of())).containsExactly("put");
        assertThat(Suggestions.of("gett", KV, List.of())).containsExactly("get");
        assertThat(Suggestions.of("kb", List.of("help", "kv", "machine", "agent", "governor", "gov", "fleet"),
                List.of())).containsExactly("kv");
    }

    @Test
    void twoNeighbouringLettersSwappedAreOneEdit() {
        assertThat(Suggestions.distance("vaildate", "validate")).isEqualTo(1);
        assertThat(Suggestions.of("vaildate", List.of("validate", "graph", "run"), List.of()))
                .containsExactly("validate");
        assertThat(Suggestions.of("rm", List.of("mr"), List.of())).containsExactly("mr");
    }

    @Test
    void aStartOrTheLettersInOrderAreNearToo() {
        assertThat(Suggestions.of("maint", List.of("maintenance", "machine"), List.of()))
                .containsExactly("maintenance");
        assertThat(Suggestions.of("hstry", KV, List.of())).containsExactly("history");
    }

    @Test
    void onlyTheNearestAreSuggestedAndNothingFarIs() {
        assertThat(Suggestions.of("ls", KV, List.of())).isEmpty(); // the name itself is no suggestion
        assertThat(Suggestions.of("zz", KV, List.of())).isEmpty();
        assertThat(Suggestions.of("x", List.of("ab", "ac"), List.of())).isEmpty();
        assertThat(Suggestions.of("--machine", List.of("--machines", "--manage-machines"), List.of()))
                .containsExactly("--machines");
        assertThat(Suggestions.of("gt", KV, List.of())).containsExactly("get"); // not also "put" or "rm": two edits
    }

    @Test
    void theSentenceNamesThemOrIsEmpty() {
        assertThat(Suggestions.didYouMean("pt", KV, List.of())).isEqualTo(" (did you mean put?)");
        assertThat(Suggestions.didYouMean("zzz", KV, List.of())).isEmpty();
    }
}

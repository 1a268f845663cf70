package dev.tend.machine.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The warning about states a machine reaches but never leaves and where no watcher runs. */
class DeadEndsTest {

    @TempDir
    Path dir;

    private final MachineLoader loader = new MachineLoader(TestTypes.registry());

    private List<String> warnings(String transitions, String watchers) throws IOException {
        Files.writeString(dir.resolve("machine.yaml"), "name: m\nversion: 1.0.0\ninitial_state: idle\ntransitions:\n"
                + transitions + "watchers:\n" + watchers);
        MachineLoader.Validation v = loader.validate(dir);
        assertThat(v.errors()).isEmpty();
        return v.warnings().stream().map(InvalidMachinesTest::located).toList();
    }

    private static String noWayOut(String what, String state, String end) {
        return what + " \"" + state + "\" has no way out: no transition leaves it and no watcher runs in it, so the "
                + "machine stays there " + end;
    }

    @Test
    void aMisspeltDestinationIsNamedWithTheStateMeant() throws IOException {
        assertThat(warnings("""
                  - {name: start, from: [idle], destination: runing}
                  - {name: stop, from: [running], destination: idle}
                """, "  - {name: w, type: probe, state_match: [idle]}\n")).containsExactly(
                "5: transition \"start\": " + noWayOut("destination", "runing", "(did you mean \"running\"?)"));
    }

    @Test
    void aStateWhereAWatcherRunsOrThatATransitionLeavesIsFine() throws IOException {
        assertThat(warnings("""
                  - {name: start, from: [idle], destination: busy}
                  - {name: finish, from: [idle], destination: done}
                  - {name: stop, from: [busy], destination: idle}
                """, "  - {name: w, type: probe, state_match: [idle, done]}\n")).isEmpty();
    }

    @Test
    void aWatcherWithoutStateMatchRunsInEveryState() throws IOException {
        assertThat(warnings("  - {name: finish, from: [idle], destination: done}\n",
                "  - {name: w, type: probe}\n")).isEmpty();
    }

    @Test
    void aTransitionToItselfDoesNotLeaveAState() throws IOException {
        assertThat(warnings("""
                  - {name: finish, from: [idle], destination: done}
                  - {name: again, from: [done], destination: done}
                """, "  - {name: w, type: probe, state_match: [idle]}\n")).containsExactly(
                "5: transition \"finish\": " + noWayOut("destination", "done", "(fine for a final state)"));
    }

    @Test
    void aLaterTransitionOfTheSameNameAndFromReplacesTheWayOut() throws IOException {
        assertThat(warnings("""
                  - {name: finish, from: [idle], destination: done}
                  - {name: go, from: [done], destination: idle}
                  - {name: go, from: [done], destination: done}
                """, "  - {name: w, type: probe, state_match: [idle]}\n")).containsExactly(
                "5: transition \"finish\": " + noWayOut("destination", "done", "(fine for a final state)"));
    }

    @Test
    void theInitialStateToo() throws IOException {
        assertThat(warnings("  - {name: go, from: [busy], destination: idle}\n",
                "  - {name: w, type: probe, state_match: [busy]}\n")).containsExactly(
                "3: " + noWayOut("initial state", "idle", "(fine for a final state)"));
    }

    @Test
    void aStarInFromIsNoWildcard() throws IOException {
        assertThat(warnings("""
                  - {name: finish, from: [idle], destination: done}
                  - {name: reset, from: ["*"], destination: idle}
                """, "  - {name: w, type: probe, state_match: [idle]}\n")).containsExactly(
                "5: transition \"finish\": " + noWayOut("destination", "done", "(fine for a final state)"),
                "6: transition \"reset\": from \"*\" is a state named \"*\", not every state: there is no wildcard");
    }

    @Test
    void onlyTheFirstStatesGetASuggestion() throws IOException {
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < DeadEnds.MAX_SUGGESTED + 1; i++) {
            t.append("  - {name: t").append(i).append(", from: [idle], destination: stat").append(i).append("x}\n");
            t.append("  - {name: u").append(i).append(", from: [stat").append(i).append("], destination: idle}\n");
        }
        List<String> w = warnings(t.toString(), "  - {name: w, type: probe, state_match: [idle]}\n");
        assertThat(w).hasSize(DeadEnds.MAX_SUGGESTED + 1);
        assertThat(w.get(0)).endsWith("(did you mean \"stat0\"?)");
        assertThat(w.get(DeadEnds.MAX_SUGGESTED)).endsWith("(fine for a final state)");
    }
}

package dev.tend.machine.engine;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.testing.TestMachines;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TransitionTableTest {

    private static final Path DIR = Path.of("/machines/door");

    @Test
    void entriesOfTheSameNameMergeAndTheLaterDestinationWinsForTheSameSource() {
        MachineDefinition d = TestMachines.machine("door", DIR).initial("closed")
                .transition("toggle", "open", "closed", "locked")
                .transition("toggle", "closed", "open")
                .transition("toggle", "broken", "locked") // overrides locked -> open
                .build();
        TransitionTable table = new TransitionTable(d);

        assertThat(table.destination("toggle", "closed")).contains("open");
        assertThat(table.destination("toggle", "open")).contains("closed");
        assertThat(table.destination("toggle", "locked")).contains("broken");
        assertThat(table.destination("toggle", "broken")).isEmpty();
        assertThat(table.destination("kick", "closed")).isEmpty();
    }

    @Test
    void validEventsAreSortedAndOnlyThoseFromTheState() {
        MachineDefinition d = TestMachines.machine("door", DIR).initial("closed")
                .transition("open", "opened", "closed")
                .transition("lock", "locked", "closed")
                .transition("close", "closed", "opened")
                .transition("alarm", "alarmed", "closed", "opened")
                .build();
        TransitionTable table = new TransitionTable(d);

        assertThat(table.validEvents("closed")).containsExactly("alarm", "lock", "open");
        assertThat(table.validEvents("opened")).containsExactly("alarm", "close");
        assertThat(table.validEvents("alarmed")).isEmpty();
    }

    @Test
    void theOperatorsErrorNamesEventStateMachineAndTheValidEvents() {
        MachineDefinition d = TestMachines.machine("door", DIR).initial("closed")
                .transition("open", "opened", "closed")
                .transition("lock", "locked", "closed")
                .build();
        TransitionTable table = new TransitionTable(d);

        assertThat(table.invalidMessage("door", "close", "closed"))
                .isEqualTo("transition \"close\" is not valid in state \"closed\" of machine \"door\" (valid: lock, open)");
        assertThat(table.invalidMessage("door", "open", "locked"))
                .isEqualTo("transition \"open\" is not valid in state \"locked\" of machine \"door\" "
                        + "(no events are valid in state \"locked\")");
    }
}

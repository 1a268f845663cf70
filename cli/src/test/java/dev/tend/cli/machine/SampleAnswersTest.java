package dev.tend.cli.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.control.ControlAnswers;
import dev.tend.machine.control.ControlProtocol;
import dev.tend.machine.control.MachineListing;
import dev.tend.machine.control.TransitionOutcome;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample answers a one-shot {@code tend machine} command rehearses with: each is what an agent would write for the
 * status it reads as (so the rehearsal runs the code a real answer runs), and each prints without failing (a
 * rehearsal swallows failures, which would otherwise go unnoticed), as table and as JSON.
 */
class SampleAnswersTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void theListIsTheAgentsEncodingOfWhatItReadsAs() throws Exception {
        MachineListing listing = ControlAnswers.listing(SampleAnswers.LIST);
        assertThat(listing.machines()).hasSize(1);
        assertThat(listing.failed()).isEmpty();
        JsonNode sample = mapper.readTree(SampleAnswers.LIST);
        assertThat(ControlProtocol.machine(listing.machines().get(0)))
                .isEqualTo(withoutTimes(sample.get("machines").get(0)));
    }

    @Test
    void theInfoIsTheAgentsEncodingOfWhatItReadsAs() throws Exception {
        MachineStatus status = ControlAnswers.info(SampleAnswers.INFO);
        JsonNode sample = mapper.readTree(SampleAnswers.INFO).get("machine");
        assertThat(ControlProtocol.machine(status)).isEqualTo(withoutTimes(sample));
        assertThat(status.startTime()).isNotNull();
        assertThat(status.stateSince()).isNotNull();
        assertThat(status.watchers().get(0).next()).isNotNull();
        assertThat(status.watchers().get(0).state().values())
                .hasAtLeastOneElementOfType(String.class)
                .hasAtLeastOneElementOfType(Integer.class);
    }

    @Test
    void theTransitionReadsAsAnOutcome() throws Exception {
        assertThat(ControlAnswers.transition(SampleAnswers.TRANSITION, "x", "y"))
                .isEqualTo(new TransitionOutcome("sample", "done", "RUNNING", "DONE"));
    }

    @Test
    void eachPrintsAsTableAndAsJson() throws Exception {
        for (boolean json : new boolean[] {false, true}) {
            MachineList list = new MachineList(Map.of());
            list.json = json;
            assertThat(printed(w -> list.print(ControlAnswers.listing(SampleAnswers.LIST), w)))
                    .contains("sample", "RUNNING");
            MachineInfo info = new MachineInfo(Map.of());
            info.json = json;
            assertThat(printed(w -> info.print(ControlAnswers.info(SampleAnswers.INFO), w))).contains("run.sh");
            MachineTransition transition = new MachineTransition(Map.of());
            transition.json = json;
            assertThat(printed(w -> transition.print(ControlAnswers.transition(SampleAnswers.TRANSITION, "x", "y"),
                    w))).contains("DONE");
        }
    }

    /** The machine object without what the agent computes from the time it answers. */
    private static JsonNode withoutTimes(JsonNode machine) {
        ObjectNode m = machine.deepCopy();
        m.remove("time_in_state");
        for (JsonNode w : m.get("watchers")) {
            if (w.has("next")) {
                ((ObjectNode) w.get("next")).remove("in");
            }
        }
        return m;
    }

    private interface Printing {
        void to(PrintWriter out) throws Exception;
    }

    private static String printed(Printing p) throws Exception {
        StringWriter text = new StringWriter();
        p.to(new PrintWriter(text));
        return text.toString();
    }
}

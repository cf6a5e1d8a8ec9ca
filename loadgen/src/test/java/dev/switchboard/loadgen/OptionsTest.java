package dev.switchboard.loadgen;

import dev.switchboard.loadgen.scenario.CallCapacity;
import dev.switchboard.loadgen.scenario.Scenario;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsTest {

    @Test
    void theStandardSuiteRunsEveryScenarioAtItsSizesInOrder() {
        assertThat(Suite.of(Options.parse())).extracting(Scenario::id).containsExactly(
                "setmedia", "join-100-at-50", "join-1000-at-50", "join-1000-at-150", "join-1000-at-150-open",
                "fanout-2", "fanout-10", "fanout-50", "capacity-connections", "capacity-rooms", "history-lag", "recovery");
    }

    @Test
    void theTenThousandParticipantsRunOnlyWhenAskedFor() {
        assertThat(Suite.of(Options.parse("--scenarios", "capacity-participants", "--capacity-participants", "500")))
                .singleElement().isEqualTo(new CallCapacity(500, 4, 50, 32));
    }

    @Test
    void picksScenariosAndSizesFromTheCommandLine() {
        Options options = Options.parse("--scenarios", "fanout,join", "--participants", "20,40", "--fanout-sizes", "3",
                "--hold", "1m30s", "--rate", "75.5");

        assertThat(Suite.of(options)).extracting(Scenario::id).containsExactly("join-20-at-75.50", "join-40-at-75.50", "fanout-3");
        assertThat(options.hold()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.arrivalsPerSecond()).isEqualTo(75.5);
        assertThat(options.signaling()).isEmpty();
    }

    @Test
    void readsDurationsAsPeopleWriteThem() {
        assertThat(Options.duration("500ms", "1s")).isEqualTo(Duration.ofMillis(500));
        assertThat(Options.duration(null, "9m30s")).isEqualTo(Duration.ofSeconds(570));
        assertThatThrownBy(() -> Options.duration("ten seconds", "1s")).hasMessageContaining("not a duration");
    }

    @Test
    void sendsTrafficToThisMachineOnly() {
        Options options = Options.parse("--signaling", "ws://127.0.0.1:8080/signaling", "--history", "http://localhost:8082",
                "--kafka", "127.0.0.1:9092");
        assertThat(options.kafka()).contains("127.0.0.1:9092");

        assertThatThrownBy(() -> Options.parse("--signaling", "ws://10.0.0.7:8080/signaling", "--history", "http://127.0.0.1:8082"))
                .hasMessageContaining("not on this machine");
        assertThatThrownBy(() -> Options.parse("--kafka", "kafka.internal:9092")).hasMessageContaining("not on this machine");
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThatThrownBy(() -> Options.parse("--scenarios", "join,soak")).hasMessageContaining("no scenario soak");
        assertThatThrownBy(() -> Options.parse("--participans", "10")).hasMessageContaining("unknown options: participans");
        assertThatThrownBy(() -> Options.parse("--signaling", "ws://127.0.0.1:8080/signaling"))
                .hasMessageContaining("go together");
        assertThatThrownBy(() -> Options.parse("--rate")).hasMessageContaining("expected --option value");
    }
}

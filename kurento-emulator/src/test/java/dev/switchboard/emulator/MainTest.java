package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void defaultsToKmsPortAndCollector() {
        EmulatorSettings settings = Main.parse();
        assertThat(settings.port()).isEqualTo(8888);
        assertThat(settings.gcPeriod()).isEqualTo(Duration.ofSeconds(240));
        assertThat(settings.latency()).isEqualTo(LatencyModel.none());
        assertThat(settings.workers()).isEqualTo(2);
        assertThat(settings.logRequests()).isFalse();
    }

    @Test
    void readsEveryOption() {
        EmulatorSettings settings = Main.parse("--port", "9999", "--host", "0.0.0.0", "--gc-period", "10s",
                "--latency", "realistic", "--workers", "4", "--log-requests");
        assertThat(settings.port()).isEqualTo(9999);
        assertThat(settings.host()).isEqualTo("0.0.0.0");
        assertThat(settings.gcPeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.latency()).isEqualTo(LatencyModel.realistic());
        assertThat(settings.workers()).isEqualTo(4);
        assertThat(settings.logRequests()).isTrue();
        assertThat(Main.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Main.duration("4m")).isEqualTo(Duration.ofMinutes(4));
        assertThat(Main.parse("--help")).isNull();
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThatThrownBy(() -> Main.parse("--latency", "slow")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Main.parse("--gc-period", "soon")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Main.parse("--port")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Main.parse("--workers", "0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Main.parse("--workers", "many")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Main.parse("--verbose")).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.switchboard.loadgen.metrics;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    @Test
    void theLineShowsPhaseStepsAndFailuresAndEndsWithANewline() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Failures failures = new Failures();
        try (Progress progress = new Progress(new PrintStream(out, true, StandardCharsets.UTF_8), "join-100", failures)) {
            progress.phase("joining", 100);
            progress.step();
            progress.step();
            failures.record("publish", new IllegalStateException("boom"));

            assertThat(progress.line()).contains("join-100", "joining", "2/100", "failed 1");
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith(System.lineSeparator()).contains("\r[join-100");
    }
}

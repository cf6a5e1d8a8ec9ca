package dev.switchboard.loadgen.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ResultWriterTest {

    @TempDir
    Path bench;

    @Test
    void writesJsonChartAndTableAndReadsTheJsonBack() throws IOException {
        ResultWriter writer = new ResultWriter(bench);
        ScenarioResult join = joinResult();

        writer.write(join);

        assertThat(writer.readAll()).singleElement().isEqualTo(join);
        BufferedImage chart = ImageIO.read(writer.chartFile("join-100").toFile());
        assertThat(chart.getWidth()).isEqualTo(960);
        assertThat(chart.getHeight()).isGreaterThan(100);
        String table = Files.readString(writer.summaryFile());
        assertThat(table)
                .contains("| join-100 | publish → sdpAnswer | 100 | 10.01 | 18.02 | 20.02 | 20.02 |")
                .contains("| join-100 | publish p99 / floor p99 | 1.50 | × |")
                .contains("| join-100 | publish → sdpAnswer p99 < 25 ms | 20 ms | yes |")
                .contains("join-100: the machine was busy")
                .contains("join-100: failed publish: error 5003 × 1");
    }

    @Test
    void aLaterRunReplacesItsOwnRowsAndKeepsTheOthers() throws IOException {
        ResultWriter writer = new ResultWriter(bench);
        writer.write(joinResult());
        Measurements capacity = new Measurements().parameter("connections", 1000);
        capacity.figure("heap per connection", 2048, "bytes");
        capacity.target(new TargetCheck("50,000 idle connections under 2 GiB heap", "2200 MiB (projected)", false));
        writer.write(capacity.result("capacity-connections", "idle connections"));
        writer.write(joinResult());

        assertThat(writer.readAll()).extracting(ScenarioResult::id).containsExactly("capacity-connections", "join-100");
        assertThat(Files.exists(writer.chartFile("capacity-connections"))).as("no latencies, no chart").isFalse();
        assertThat(Files.readString(writer.summaryFile()))
                .contains("| capacity-connections | heap per connection | 2048 | bytes |")
                .contains("| capacity-connections | 50,000 idle connections under 2 GiB heap | 2200 MiB (projected) | **no** |");
    }

    private static ScenarioResult joinResult() {
        Measurements m = new Measurements().parameter("participants", 100).parameter("roomSize", 4);
        for (int ms = 1; ms <= 20; ms++) {
            for (int i = 0; i < 5; i++) {
                m.latency("publish → sdpAnswer").recordNanos(TimeUnit.MILLISECONDS.toNanos(ms));
            }
        }
        m.latency("floor: processOffer").recordNanos(TimeUnit.MILLISECONDS.toNanos(12));
        m.figure("publish p99 / floor p99", 1.5, "×");
        m.target(TargetCheck.below("publish → sdpAnswer p99 < 25 ms", 20, 25, "ms"));
        m.note("the machine was busy");
        m.failures().record("publish", new dev.switchboard.contracts.client.SignalingClient.RpcException(5003, "down"));
        return m.result("join-100", "join and publish latency");
    }
}

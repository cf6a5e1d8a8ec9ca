package dev.switchboard.loadgen.target;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryProbeTest {

    @Test
    void sumsEveryHeapPoolOfAPrometheusExposition() {
        String metrics = """
                # HELP jvm_memory_used_bytes The amount of used memory
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Survivor Space"} 4194304.0
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 3.3554432E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 6.0E7
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1048576.0
                jvm_memory_max_bytes{area="heap",id="G1 Old Gen"} 4.0E9
                """;

        assertThat(MemoryProbe.heapUsedIn(metrics)).isEqualTo(4194304L + 33554432L + 1048576L);
    }

    @Test
    void aServiceWithoutHeapMetricsIsAnErrorNotAZero() {
        assertThatThrownBy(() -> MemoryProbe.heapUsedIn("http_server_requests_seconds_count 3.0\n"))
                .hasMessageContaining("jvm_memory_used_bytes");
    }

    @Test
    void readsTheUsedHeapOfAG1HeapInfo() {
        String heapInfo = """
                9226:
                garbage-first heap   total reserved 6172672K, committed 393216K, used 29048K [0x0000000687400000, 0x0000000800000000)
                 region size 4096K, 7 young (28672K), 1 survivors (4096K)
                 Metaspace       used 1234K, committed 1344K, reserved 1114112K
                """;

        assertThat(MemoryProbe.heapUsedInHeapInfo(heapInfo)).isEqualTo(29048L * 1024);
        assertThatThrownBy(() -> MemoryProbe.heapUsedInHeapInfo(" PSYoungGen      total 76288K, used 3932K"))
                .hasMessageContaining("G1 expected");
    }

    @Test
    void readsTheResidentSetOfAProcess() {
        assertThat(MemoryProbe.rss(ProcessHandle.current().pid())).isGreaterThan(1 << 20);
    }
}

package dev.switchboard.contracts;

import dev.switchboard.contracts.messaging.Partitions;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionsTest {

    @Test
    void partitionOfAKeyIsTheOneKafkasDefaultPartitionerChooses() {
        IntStream.range(0, 1000).mapToObj(i -> UUID.randomUUID().toString()).forEach(key -> {
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            for (int partitions : new int[] {1, 3, 8, 24}) {
                assertThat(Partitions.of(key, partitions)).isEqualTo(BuiltInPartitioner.partitionForKey(bytes, partitions));
            }
        });
    }
}

package dev.switchboard.contracts.messaging;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

/**
 * The partition Kafka's default partitioner gives a key. Room ids land on the same partition number in
 * {@code room-commands} and {@code room-state} (both have the same partition count), which is how an
 * owner knows which backups to read; a gateway reads only the partition of its own id.
 */
public final class Partitions {

    private Partitions() {
    }

    public static int of(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}

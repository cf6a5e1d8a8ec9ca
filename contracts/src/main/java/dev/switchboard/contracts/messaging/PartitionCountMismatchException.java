package dev.switchboard.contracts.messaging;

/**
 * A topic whose partitions are room-service's unit of ownership exists with another partition count than the
 * configured one: a service that went on would look for rooms on partitions that do not hold them, so it must
 * not start. Waiting does not mend it.
 */
public class PartitionCountMismatchException extends IllegalStateException {

    private final String topic;
    private final int partitions;
    private final int configured;

    public PartitionCountMismatchException(String topic, int partitions, int configured) {
        super(("topic %s has %d partitions but switchboard.kafka.partitions (SWITCHBOARD_KAFKA_PARTITIONS) is %d:"
                + " set %d on every service%s").formatted(topic, partitions, configured, partitions, configured > partitions
                        ? ", or grow the topics to " + configured + " with the partition migration (docs/operations.md)"
                        : ""));
        this.topic = topic;
        this.partitions = partitions;
        this.configured = configured;
    }

    public String topic() {
        return topic;
    }

    /** The partitions the topic has. */
    public int partitions() {
        return partitions;
    }

    public int configured() {
        return configured;
    }
}

package dev.switchboard.loadgen.target;

import dev.switchboard.contracts.messaging.Partitions;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RoomOwnershipTest {

    @Test
    void replaysTheTakeoversAndHandoversSinceTheInstanceLastStarted() {
        List<String> log = List.of(
                "03:10:00.100 INFO  [io.quarkus] (main) room-service 0.1.0-SNAPSHOT on JVM started in 2.1s.",
                "03:10:01.000 INFO  [de.sw.ro.me.CommandConsumer] (commands) took over partitions [0, 1, 2, 3, 4, 5, 6, 7] with 0 rooms in 3 ms",
                "03:10:09.000 INFO  [de.sw.ro.me.CommandConsumer] (commands) handed over partitions [4, 5, 6, 7]",
                "03:11:00.000 INFO  [io.quarkus] (main) room-service 0.1.0-SNAPSHOT on JVM started in 1.9s.",
                "03:11:01.000 INFO  [de.sw.ro.me.CommandConsumer] (commands) took over partitions [4, 6] with 12 rooms in 40 ms",
                "03:11:02.000 INFO  [de.sw.ro.me.CommandConsumer] (commands) took over partitions [] with 0 rooms in 0 ms");

        assertThat(RoomOwnership.owned(log)).containsExactly(4, 6);
        assertThat(RoomOwnership.owned(log.subList(0, 3))).containsExactly(0, 1, 2, 3);
    }

    @Test
    void namesTheRoomsOfEachInstanceByTheirPartitionAndThoseNoOneOwns() {
        int partitions = 8;
        Map<String, Set<Integer>> owned = new LinkedHashMap<>();
        owned.put("room-service", Set.of(0, 1, 2, 3));
        owned.put("room-service-2", Set.of(4, 5, 6));
        List<Integer> onFirst = IntStream.range(0, 20).filter(room -> Partitions.of("r-" + room, partitions) < 4).boxed().toList();
        List<Integer> nobodys = IntStream.range(0, 20).filter(room -> Partitions.of("r-" + room, partitions) == 7).boxed().toList();

        String described = RoomOwnership.describe(owned, 20, room -> "r-" + room, partitions);

        assertThat(described).startsWith("room-service owns partitions [0, 1, 2, 3] with rooms " + onFirst + "; room-service-2 owns");
        assertThat(described).endsWith(nobodys.isEmpty() ? "]" : "; no instance owns rooms " + nobodys);
    }
}

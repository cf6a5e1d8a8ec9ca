package dev.switchboard.loadgen.target;

import dev.switchboard.contracts.messaging.Partitions;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.devstack.process.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which room-service instance owns which rooms: a room belongs to the partition of its id on the
 * command topic, and an instance owns the partitions its log says it took over and has not handed
 * over since it last started. An instance that is not running owns nothing, whatever its log says.
 */
public final class RoomOwnership {

    private static final Pattern CHANGE = Pattern.compile("(took over|handed over) partitions \\[([0-9, ]*)]");
    /** Quarkus's startup line: a restarted instance appends to the same log and starts with nothing. */
    private static final String STARTED = " started in ";

    private RoomOwnership() {
    }

    /** The partition count of the command topic. */
    public static int partitions(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.describeTopics(List.of(Topics.ROOM_COMMANDS)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.ROOM_COMMANDS).partitions().size();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + Topics.ROOM_COMMANDS, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Set<Integer> owned(ServiceProcess instance) {
        if (!instance.isAlive()) {
            return Set.of();
        }
        try {
            return owned(Files.readAllLines(instance.logFile()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + instance.logFile(), e);
        }
    }

    /** The partitions an instance's log lines leave it owning. */
    static Set<Integer> owned(List<String> log) {
        Set<Integer> owned = new TreeSet<>();
        for (String line : log) {
            if (line.contains(STARTED)) {
                owned.clear();
            }
            Matcher change = CHANGE.matcher(line);
            if (change.find()) {
                Set<Integer> partitions = Arrays.stream(change.group(2).split(",")).map(String::trim)
                        .filter(number -> !number.isEmpty()).map(Integer::valueOf).collect(Collectors.toSet());
                if (change.group(1).equals("took over")) {
                    owned.addAll(partitions);
                } else {
                    owned.removeAll(partitions);
                }
            }
        }
        return owned;
    }

    /**
     * One line: per instance, the partitions it owns and the rooms on them (by their name's number,
     * {@code roomName.apply(i)} being room i's id), then the rooms no instance owns.
     */
    public static String describe(Map<String, Set<Integer>> ownedByInstance, int rooms,
                                  IntFunction<String> roomName, int partitions) {
        Map<String, List<Integer>> roomsOf = new LinkedHashMap<>();
        ownedByInstance.keySet().forEach(instance -> roomsOf.put(instance, new ArrayList<>()));
        List<Integer> unowned = new ArrayList<>();
        for (int room = 0; room < rooms; room++) {
            int partition = Partitions.of(roomName.apply(room), partitions);
            int number = room;
            ownedByInstance.entrySet().stream().filter(owner -> owner.getValue().contains(partition)).findFirst()
                    .ifPresentOrElse(owner -> roomsOf.get(owner.getKey()).add(number), () -> unowned.add(number));
        }
        String owners = ownedByInstance.entrySet().stream()
                .map(owner -> owner.getKey() + " owns partitions " + new TreeSet<>(owner.getValue()) + " with rooms " + roomsOf.get(owner.getKey()))
                .collect(Collectors.joining("; "));
        return owners + (unowned.isEmpty() ? "" : "; no instance owns rooms " + unowned);
    }
}

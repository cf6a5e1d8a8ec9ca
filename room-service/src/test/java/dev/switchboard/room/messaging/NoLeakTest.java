package dev.switchboard.room.messaging;

import dev.switchboard.contracts.events.EndReason;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.StreamKind;
import dev.switchboard.devstack.testing.KafkaTestResource;
import dev.switchboard.devstack.testing.KurentoEmulatorPairTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A seeded random sequence of joins, publishes, subscriptions, unpublishes, leaves, dropped connections
 * and closed rooms: at every checkpoint Kurento holds exactly the pipelines and endpoints the live rooms
 * use, and at the end nothing at all.
 */
@QuarkusTest
@TestProfile(NoLeakTest.TwoMediaServers.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = KurentoEmulatorPairTestResource.class, restrictToAnnotatedClass = true)
class NoLeakTest {

    /** A room-service of its own, on two media servers: rooms are spread over both, and neither may leak. */
    public static class TwoMediaServers implements QuarkusTestProfile {
    }


    private static final int ROOMS = 3;
    private static final int STEPS = 80;

    /** The media servers rooms were found on. */
    private final Set<String> placements = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @ConfigProperty(name = "switchboard.room.warm-endpoints")
    int warmSpares;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** What the test knows of a participant: enough to predict the Kurento objects it uses. */
    private static final class Member {
        final String room;
        final String connection;
        final String id;
        final List<String> streams = new ArrayList<>();
        final Set<String> subscriptions = new HashSet<>();

        Member(String room, String connection, String id) {
            this.room = room;
            this.connection = connection;
            this.id = id;
        }
    }

    @Test
    void kurentoHoldsExactlyWhatLiveRoomsUse() throws Exception {
        String offer = GatewayProbe.chromiumOffer();
        Random random = new Random(20261124);
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < ROOMS; i++) {
            rooms.add("leak-" + UUID.randomUUID());
        }
        List<Member> members = new ArrayList<>();
        try (GatewayProbe gateway = new GatewayProbe(bootstrapServers)) {
            for (int step = 0; step < STEPS; step++) {
                String room = rooms.get(random.nextInt(ROOMS));
                List<Member> here = members.stream().filter(m -> m.room.equals(room)).toList();
                Member member = here.isEmpty() ? null : here.get(random.nextInt(here.size()));
                switch (member == null ? 0 : random.nextInt(8)) {
                    case 0, 1 -> {
                        String connection = "conn-" + step;
                        members.add(new Member(room, connection, ((RequestResult.Joined) reply(gateway,
                                gateway.send(room, connection, null, new RoomCommand.Join("u" + step, "u" + step, null))))
                                .participantId()));
                    }
                    case 2, 3 -> {
                        if (member.streams.size() < 2) {
                            member.streams.add(((RequestResult.Published) reply(gateway, gateway.send(room,
                                    member.connection, member.id, new RoomCommand.Publish(offer, StreamKind.CAMERA))))
                                    .streamId());
                        }
                    }
                    case 4 -> here.stream().filter(p -> p != member).flatMap(p -> p.streams.stream())
                            .filter(s -> !member.subscriptions.contains(s)).findFirst().ifPresent(stream -> {
                                reply(gateway, gateway.send(room, member.connection, member.id,
                                        new RoomCommand.Subscribe(stream, offer)));
                                member.subscriptions.add(stream);
                            });
                    case 5 -> {
                        if (!member.streams.isEmpty()) {
                            String stream = member.streams.removeFirst();
                            reply(gateway, gateway.send(room, member.connection, member.id, new RoomCommand.Unpublish(stream)));
                            members.forEach(m -> m.subscriptions.remove(stream));
                        }
                    }
                    case 6 -> {
                        reply(gateway, gateway.send(room, member.connection, member.id, new RoomCommand.Leave()));
                        remove(members, member);
                    }
                    default -> {
                        // The socket drops; after the grace window the participant is gone with its endpoints.
                        gateway.send(room, member.connection, member.id, new RoomCommand.ConnectionLost());
                        remove(members, member);
                    }
                }
                if (step % 20 == 19) {
                    assertKurentoHoldsWhatRoomsUse(rooms, members);
                }
            }
            reply(gateway, new AdminProbe(gateway).close(rooms.getFirst()));
            members.removeIf(m -> m.room.equals(rooms.getFirst()));
            for (Member member : List.copyOf(members)) {
                reply(gateway, gateway.send(member.room, member.connection, member.id, new RoomCommand.Leave()));
                remove(members, member);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(objectsOf(rooms)).isEmpty());
            assertThat(placements).as("media servers that held rooms").hasSize(2);
        }
    }

    /** Sends an operator's command the way the admin API does, through room-commands. */
    private record AdminProbe(GatewayProbe gateway) {
        String close(String room) {
            return gateway.send(room, "admin", null, new RoomCommand.CloseRoom(EndReason.CLOSED_BY_ADMIN));
        }
    }

    private static void remove(List<Member> members, Member leaving) {
        members.remove(leaving);
        members.forEach(m -> leaving.streams.forEach(m.subscriptions::remove));
    }

    /**
     * One pipeline per room that has anyone in it (empty ones may keep theirs a while), one endpoint per stream
     * and subscription, and the room's warm pool: its spares, and one more for each member yet to publish (up to
     * as many again).
     */
    private void assertKurentoHoldsWhatRoomsUse(List<String> rooms, List<Member> members) {
        Map<String, Integer> endpoints = new HashMap<>();
        Map<String, Integer> unpublished = new HashMap<>();
        for (Member m : members) {
            endpoints.merge(m.room, m.streams.size() + m.subscriptions.size(), Integer::sum);
            unpublished.merge(m.room, m.streams.isEmpty() ? 1 : 0, Integer::sum);
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (String room : rooms) {
                List<dev.switchboard.emulator.EmulatedObject> objects = objectsOf(List.of(room));
                assertThat(objects.stream().filter(o -> o.type().equals("WebRtcEndpoint") && o.tags().containsKey("stream")).count())
                        .as("endpoints in use in %s", room).isEqualTo(endpoints.getOrDefault(room, 0).longValue());
                long pipelines = objects.stream().filter(o -> o.type().equals("MediaPipeline")).count();
                long warm = kurento().warm(room);
                kurento().holding(room).ifPresent(server -> {
                    assertThat(server.objects()).as("objects of %s on its media server", room)
                            .filteredOn(o -> room.equals(o.tags().get("room"))).hasSameSizeAs(objects);
                    placements.add(server.url());
                });
                if (endpoints.containsKey(room)) {
                    assertThat(pipelines).as("pipelines of %s", room).isEqualTo(1);
                    assertThat(warm).as("warm endpoints of %s", room)
                            .isEqualTo(warmSpares + Math.min(unpublished.get(room), warmSpares));
                } else {
                    assertThat(pipelines).as("pipelines of %s", room).isLessThanOrEqualTo(1);
                    assertThat(warm).as("warm endpoints of %s", room).isEqualTo(pipelines * warmSpares);
                }
            }
        });
    }

    private static List<dev.switchboard.emulator.EmulatedObject> objectsOf(List<String> rooms) {
        return rooms.stream().flatMap(room -> kurento().all(room).stream()).toList();
    }

    private static RoomObjects kurento() {
        return new RoomObjects(KurentoEmulatorPairTestResource.emulators());
    }

    private static RequestResult reply(GatewayProbe gateway, String commandId) {
        GatewayMessage.Body answer = gateway.awaitAnswer(commandId);
        assertThat(answer).as("answer to %s", commandId).isInstanceOf(GatewayMessage.Reply.class);
        return ((GatewayMessage.Reply) answer).result();
    }
}

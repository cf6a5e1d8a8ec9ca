package dev.switchboard.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.events.EventData;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.json.FormatVersion;
import dev.switchboard.contracts.json.IncompatibleFormatException;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.ClientRequest;
import dev.switchboard.contracts.protocol.ProtocolException;
import dev.switchboard.contracts.protocol.RoomStatus;
import dev.switchboard.contracts.protocol.ServerNotification;
import dev.switchboard.contracts.protocol.StreamKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a reader makes of records written by another version: the rules of docs/operations.md. */
class FormatVersionTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

    @Test
    void everyWriterStampsItsFormat() throws Exception {
        JsonNode command = tree(new RoomCommand("c1", "room-1", "gw-1", "conn-1", "p1", T0, new RoomCommand.Leave()));
        JsonNode message = tree(new GatewayMessage("gw-1", "conn-1", new GatewayMessage.Failure("c1", 4004, "no")));
        JsonNode event = tree(RoomEvent.of("room-1", "call-1", 1, T0, new EventData.CallStarted("room-1", T0)));

        assertThat(command.get("format").asText()).isEqualTo(FormatVersion.CURRENT.toString()).isEqualTo("1.0");
        assertThat(message.get("format").asText()).isEqualTo("1.0");
        // A CloudEvents extension attribute: lower-case letters only.
        assertThat(event.get("formatversion").asText()).isEqualTo("1.0");
    }

    @Test
    void aRecordWithoutVersionIsOfTheFirstFormat() {
        RoomCommand command = Json.read("""
                {"commandId":"c1","roomId":"room-1","gatewayId":"gw-1","connectionId":"conn-1",
                 "type":"leave","command":{}}""", RoomCommand.class);

        assertThat(command.format()).isEqualTo(FormatVersion.UNVERSIONED);
        assertThat(command.command()).isEqualTo(new RoomCommand.Leave());
    }

    @Test
    void aNewerMinorIsReadIgnoringWhatThisBuildDoesNotKnow() {
        RoomCommand command = Json.read("""
                {"commandId":"c1","roomId":"room-1","gatewayId":"gw-1","connectionId":"conn-1","participantId":"p1",
                 "format":"1.7","priority":"high",
                 "type":"setMedia","command":{"streamId":"s1","audio":false,"video":true,"simulcast":{"layers":3}}}""",
                RoomCommand.class);

        assertThat(command.format()).isEqualTo(new FormatVersion(1, 7));
        assertThat(command.command()).isEqualTo(new RoomCommand.SetMedia("s1", false, true));
    }

    @Test
    void anotherMajorIsRefusedNamingTheRecordAndBothFormats() {
        assertThatThrownBy(() -> Json.read("""
                {"commandId":"c1","roomId":"room-1","format":"2.0","type":"leave","command":{}}""", RoomCommand.class))
                .hasRootCauseInstanceOf(IncompatibleFormatException.class)
                .rootCause().hasMessageContaining("command c1 for room room-1").hasMessageContaining("format 2.0")
                .hasMessageContaining("reads format 1.x");
        assertThatThrownBy(() -> Json.read("""
                {"gatewayId":"gw-1","connectionId":"conn-1","format":"0.9","kind":"failure","body":{}}""",
                GatewayMessage.class)).hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.read("""
                {"id":"e1","subject":"room-1","formatversion":"3.1","type":"call.started","data":{}}""", RoomEvent.class))
                .hasRootCauseInstanceOf(IncompatibleFormatException.class);
    }

    @Test
    void typesThisBuildDoesNotKnowReadAsNullForTheReaderToHandle() {
        RoomCommand command = Json.read("""
                {"commandId":"c1","roomId":"room-1","format":"1.3","type":"raiseHand","command":{"hand":"left"}}""",
                RoomCommand.class);
        GatewayMessage body = Json.read("""
                {"gatewayId":"gw-1","connectionId":"conn-1","kind":"progress","body":{"commandId":"c1"}}""",
                GatewayMessage.class);
        GatewayMessage result = Json.read("""
                {"gatewayId":"gw-1","connectionId":"conn-1","kind":"reply",
                 "body":{"commandId":"c1","resultType":"recordingStarted","result":{"recordingId":"r1"}}}""",
                GatewayMessage.class);
        GatewayMessage push = Json.read("""
                {"gatewayId":"gw-1","connectionId":"conn-1","kind":"push",
                 "body":{"method":"handRaised","notification":{"participantId":"p2"}}}""", GatewayMessage.class);
        RoomEvent event = Json.read("""
                {"specversion":"1.0","id":"e1","subject":"room-1","callid":"call-1","sequence":4,
                 "type":"recording.started","data":{"recordingId":"r1"}}""", RoomEvent.class);

        assertThat(command.commandId()).isEqualTo("c1");
        assertThat(command.command()).isNull();
        assertThat(body.body()).isNull();
        assertThat(((GatewayMessage.Reply) result.body()).commandId()).isEqualTo("c1");
        assertThat(((GatewayMessage.Reply) result.body()).result()).isNull();
        assertThat(((GatewayMessage.Push) push.body()).notification()).isNull();
        assertThat(event.sequence()).isEqualTo(4);
        assertThat(event.data()).isNull();
    }

    @Test
    void enumValuesThisBuildDoesNotKnowReadAsNull() {
        RoomStatus.Stream stream = Json.read("""
                {"streamId":"s1","kind":"whiteboard","audio":true,"video":true}""", RoomStatus.Stream.class);
        ServerNotification.MediaStateChanged media = Json.read("""
                {"streamId":"s1","state":"DEGRADED"}""", ServerNotification.MediaStateChanged.class);

        assertThat(stream.kind()).isNull();
        assertThat(stream.streamId()).isEqualTo("s1");
        assertThat(media.state()).isNull();
    }

    @Test
    void aClientMustStillNameAKindThisBuildKnows() throws Exception {
        JsonNode unknown = Json.mapper().readTree("{\"sdpOffer\":\"v=0\\r\\n\",\"kind\":\"whiteboard\"}");
        JsonNode absent = Json.mapper().readTree("{\"sdpOffer\":\"v=0\\r\\n\"}");
        JsonNode screen = Json.mapper().readTree("{\"sdpOffer\":\"v=0\\r\\n\",\"kind\":\"screen\"}");

        assertThatThrownBy(() -> Json.mapper().treeToValue(unknown, ClientRequest.Publish.class))
                .hasRootCauseInstanceOf(ProtocolException.class).rootCause().hasMessage("kind must be camera or screen");
        assertThat(Json.mapper().treeToValue(absent, ClientRequest.Publish.class).kind()).isEqualTo(StreamKind.CAMERA);
        assertThat(Json.mapper().treeToValue(screen, ClientRequest.Publish.class).kind()).isEqualTo(StreamKind.SCREEN);
    }

    private static JsonNode tree(Object record) throws Exception {
        return Json.mapper().readTree(Json.write(record));
    }
}

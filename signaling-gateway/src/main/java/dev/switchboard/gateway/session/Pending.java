package dev.switchboard.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.messaging.RoomCommand;

/** A request sent to its room and waiting for the answer: what to answer it with, and its timeout. */
record Pending(JsonNode rpcId, String method, String roomId, RoomCommand.Command command, long startNanos,
               long timerId) {
}

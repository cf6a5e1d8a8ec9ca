package dev.switchboard.gateway.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.protocol.ClientRequest;
import dev.switchboard.contracts.protocol.ProtocolException;

/**
 * One client frame, read. {@code id} is the JSON-RPC id to echo: {@code null} for a notification (no id
 * member), which gets no response; JSON {@code null} when the frame was too broken to tell.
 */
public sealed interface Inbound {

    JsonNode id();

    /** A well-formed request with valid params. */
    record Call(JsonNode id, String method, ClientRequest request) implements Inbound {
    }

    /** A frame that is answered with an error only. */
    record Invalid(JsonNode id, ProtocolException error) implements Inbound {
    }
}

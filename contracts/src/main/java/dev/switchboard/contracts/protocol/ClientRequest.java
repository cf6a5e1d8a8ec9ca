package dev.switchboard.contracts.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

import static dev.switchboard.contracts.protocol.Checks.id;
import static dev.switchboard.contracts.protocol.Checks.require;
import static dev.switchboard.contracts.protocol.Checks.sdp;

/**
 * The requests a client sends, one record per JSON-RPC method; the record's components are the
 * method's params. Constructors validate, so a request that exists is a well-formed one.
 */
public sealed interface ClientRequest {

    /** JSON-RPC method name of every request type. */
    Map<String, Class<? extends ClientRequest>> METHODS = Map.of(
            "joinRoom", JoinRoom.class,
            "publish", Publish.class,
            "unpublish", Unpublish.class,
            "subscribe", Subscribe.class,
            "unsubscribe", Unsubscribe.class,
            "addIceCandidate", AddIceCandidate.class,
            "setMedia", SetMedia.class,
            "leaveRoom", LeaveRoom.class,
            "resume", Resume.class,
            "ping", Ping.class);

    int MAX_NAME_LENGTH = 100;
    int MAX_METADATA_LENGTH = 4096;

    record JoinRoom(String roomId, String token, String name, JsonNode metadata) implements ClientRequest {
        public JoinRoom {
            id(roomId, "roomId");
            require(token != null && !token.isBlank(), "token is required: a JWT that allows this room");
            require(name == null || name.length() <= MAX_NAME_LENGTH,
                    "name is longer than " + MAX_NAME_LENGTH + " characters");
            require(metadata == null || metadata.isNull() || metadata.isObject(), "metadata must be an object");
            require(metadata == null || metadata.toString().length() <= MAX_METADATA_LENGTH,
                    "metadata is larger than " + MAX_METADATA_LENGTH + " characters");
        }
    }

    record Publish(String sdpOffer, StreamKind kind) implements ClientRequest {
        public Publish {
            sdp(sdpOffer, "sdpOffer");
            kind = kind == null ? StreamKind.CAMERA : kind;
        }

        /** A client must name a kind this gateway knows, where another service's record may name a newer one. */
        @JsonCreator
        static Publish fromParams(@JsonProperty("sdpOffer") String sdpOffer, @JsonProperty("kind") String kind) {
            return new Publish(sdpOffer, kind == null ? null : StreamKind.require(kind));
        }
    }

    record Unpublish(String streamId) implements ClientRequest {
        public Unpublish {
            id(streamId, "streamId");
        }
    }

    record Subscribe(String streamId, String sdpOffer) implements ClientRequest {
        public Subscribe {
            id(streamId, "streamId");
            sdp(sdpOffer, "sdpOffer");
        }
    }

    record Unsubscribe(String streamId) implements ClientRequest {
        public Unsubscribe {
            id(streamId, "streamId");
        }
    }

    record AddIceCandidate(String streamId, IceCandidate candidate) implements ClientRequest {
        public AddIceCandidate {
            id(streamId, "streamId");
            require(candidate != null, "candidate is required");
        }
    }

    record SetMedia(String streamId, Boolean audio, Boolean video) implements ClientRequest {
        public SetMedia {
            id(streamId, "streamId");
            require(audio != null && video != null, "audio and video are required booleans");
        }
    }

    record LeaveRoom() implements ClientRequest {
    }

    record Resume(String resumeToken) implements ClientRequest {
        public Resume {
            require(resumeToken != null && !resumeToken.isBlank(), "resumeToken is required");
        }
    }

    record Ping() implements ClientRequest {
    }
}

package dev.switchboard.emulator.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.emulator.protocol.Json;
import dev.switchboard.emulator.protocol.KmsError;
import dev.switchboard.emulator.protocol.KmsException;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What every Kurento object has: identity, parent, name, tags, creation time and its properties.
 * Operations arrive already checked against the interface definition; a subclass handles those it
 * simulates, property accessors read and write a store seeded with KMS's defaults, and the remaining
 * methods succeed without effect (there is no media to act on).
 */
public abstract sealed class MediaObjectImpl permits ServerManagerImpl, MediaPipelineImpl, MediaElementImpl {

    protected final MediaSet mediaSet;
    private final String id;
    private final String type;
    private final MediaObjectImpl parent;
    private final long creationTime;
    private final Map<String, JsonNode> properties = new HashMap<>();
    private final SortedMap<String, String> tags = new TreeMap<>();
    private boolean released;

    protected MediaObjectImpl(MediaSet mediaSet, String id, String type, MediaObjectImpl parent) {
        this.mediaSet = mediaSet;
        this.id = id;
        this.type = type;
        this.parent = parent;
        this.creationTime = mediaSet.environment().scheduler().nowMillis() / 1000;
        properties.put("name", TextNode.valueOf(id));
        properties.put("sendTagsInEvents", BooleanNode.FALSE);
    }

    public final String id() {
        return id;
    }

    /** The Kurento class name, such as {@code WebRtcEndpoint}. */
    public final String type() {
        return type;
    }

    public final MediaObjectImpl parent() {
        return parent;
    }

    public MediaPipelineImpl pipeline() {
        return parent == null ? null : parent.pipeline();
    }

    public final boolean isReleased() {
        return released;
    }

    public final Map<String, String> tags() {
        return Map.copyOf(tags);
    }

    /**
     * Runs an operation: looked up in the interface definition along the class hierarchy (KMS answers an
     * unknown one with MALFORMED_TRANSACTION), its parameters checked, then simulated.
     */
    public final JsonNode invoke(String operationName, JsonNode operationParams, CallContext context) {
        Kmd.Operation operation = Kmd.get().operation(type, operationName).orElseThrow(() -> KmsException.of(
                KmsError.MALFORMED_TRANSACTION, "Method '" + operationName + "' with "
                        + (operationParams == null ? 0 : operationParams.size()) + " parameters not found"));
        Args args = Args.decode(operation.params(), operationParams, mediaSet, true);
        JsonNode result = handle(operation.name(), args, context);
        if (result != null) {
            return result;
        }
        return switch (operation.kind()) {
            case GETTER -> properties.getOrDefault(operation.property(), NullNode.getInstance());
            case SETTER -> {
                properties.put(operation.property(), args.node(operation.property()));
                yield NullNode.getInstance();
            }
            case METHOD -> emptyValue(operation.returnType());
        };
    }

    /** Handles the operations this kind of object simulates; null lets the generic behaviour apply. */
    protected JsonNode handle(String operation, Args args, CallContext context) {
        return switch (operation) {
            case "addTag" -> {
                tags.put(args.string("key"), args.string("value"));
                yield NullNode.getInstance();
            }
            case "removeTag" -> {
                tags.remove(args.string("key"));
                yield NullNode.getInstance();
            }
            case "getTag" -> {
                String value = tags.get(args.string("key"));
                if (value == null) {
                    throw KmsException.of(KmsError.MEDIA_OBJECT_TAG_KEY_NOT_FOUND, "Tag key not found");
                }
                yield TextNode.valueOf(value);
            }
            case "getTags" -> tagList();
            case "getId" -> TextNode.valueOf(id);
            case "getParent" -> parent == null ? NullNode.getInstance() : TextNode.valueOf(parent.id());
            case "getMediaPipeline" -> pipeline() == null ? NullNode.getInstance() : TextNode.valueOf(pipeline().id());
            case "getChildren" -> {
                ArrayNode children = Json.array();
                mediaSet.children(this).forEach(child -> children.add(child.id()));
                yield children;
            }
            case "getCreationTime" -> IntNode.valueOf((int) creationTime);
            default -> null;
        };
    }

    protected final void setDefault(String property, JsonNode value) {
        properties.put(property, value);
    }

    /** An Error event, as KMS raises when a GStreamer element underneath fails. */
    public final void raiseError(String errorType, String description, int errorCode) {
        emit("Error", Json.object().put("description", description).put("errorCode", errorCode).put("type", errorType));
    }

    protected final void emit(String eventType, ObjectNode fields) {
        mediaSet.emit(this, eventType, fields);
    }

    /** KMS only puts tags in events when asked to. */
    final ArrayNode eventTags() {
        return properties.get("sendTagsInEvents").asBoolean() ? tagList() : Json.array();
    }

    final void markReleased() {
        released = true;
    }

    /** Runs once the object is gone from the set: undo what it did to the objects that remain. */
    protected void onReleased() {
    }

    private ArrayNode tagList() {
        ArrayNode list = Json.array();
        tags.forEach((key, value) -> list.add(Json.complex("Tag").put("key", key).put("value", value)));
        return list;
    }

    private static JsonNode emptyValue(String returnType) {
        if (returnType == null) {
            return NullNode.getInstance();
        }
        if (returnType.endsWith("[]")) {
            return Json.array();
        }
        return switch (returnType) {
            case "String" -> TextNode.valueOf("");
            case "boolean" -> BooleanNode.FALSE;
            case "int", "int64", "float", "double" -> IntNode.valueOf(0);
            default -> returnType.endsWith("<>") ? Json.object() : NullNode.getInstance();
        };
    }
}

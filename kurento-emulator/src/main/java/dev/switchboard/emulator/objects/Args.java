package dev.switchboard.emulator.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.emulator.media.MediaType;
import dev.switchboard.emulator.protocol.Json;
import dev.switchboard.emulator.protocol.KmsError;
import dev.switchboard.emulator.protocol.KmsException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a call, checked against the interface definition the way KMS's generated code
 * checks them, with object references already resolved.
 */
public final class Args {

    private final Map<String, JsonNode> values;
    private final Map<String, MediaObjectImpl> objects;

    private Args(Map<String, JsonNode> values, Map<String, MediaObjectImpl> objects) {
        this.values = values;
        this.objects = objects;
    }

    /**
     * Decodes operation or constructor parameters. KMS insists on {@code operationParams} only when the
     * operation has a required parameter; a missing one is reported by name.
     */
    static Args decode(List<Kmd.Param> params, JsonNode given, MediaSet mediaSet, boolean operation) {
        boolean absent = given == null || given.isNull() || given.isMissingNode();
        if (absent && operation && params.stream().anyMatch(param -> !param.optional())) {
            throw marshall("'operationParams' is required");
        }
        JsonNode source = absent ? Json.object() : given;
        Map<String, JsonNode> values = new HashMap<>();
        Map<String, MediaObjectImpl> objects = new HashMap<>();
        for (Kmd.Param param : params) {
            JsonNode value = source.get(param.name());
            if (value == null) {
                if (!param.optional()) {
                    throw marshall("'" + param.name() + "' parameter should be a " + describe(param.type()));
                }
                if (param.defaultValue() != null) {
                    values.put(param.name(), param.defaultValue());
                }
                continue;
            }
            values.put(param.name(), check(param.name(), param.type(), value));
            if (Kmd.get().isRemoteClass(param.type())) {
                objects.put(param.name(), resolve(param.name(), param.type(), value.asText(), mediaSet));
            }
        }
        return new Args(values, objects);
    }

    public String string(String name) {
        JsonNode value = values.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    public String string(String name, String fallback) {
        String value = string(name);
        return value == null ? fallback : value;
    }

    public boolean bool(String name, boolean fallback) {
        JsonNode value = values.get(name);
        return value == null ? fallback : value.asBoolean();
    }

    public int integer(String name, int fallback) {
        JsonNode value = values.get(name);
        return value == null ? fallback : value.asInt();
    }

    /** An optional MediaType parameter, null when not given. */
    public MediaType mediaType(String name) {
        String value = string(name);
        return value == null ? null : MediaType.valueOf(value);
    }

    public JsonNode node(String name) {
        return values.getOrDefault(name, NullNode.getInstance());
    }

    public <T extends MediaObjectImpl> T object(String name, Class<T> type) {
        return type.cast(objects.get(name));
    }

    private static JsonNode check(String name, String type, JsonNode value) {
        if (type.endsWith("[]")) {
            if (!value.isArray()) {
                throw marshall("'" + name + "' parameter should be an array");
            }
            String itemType = type.substring(0, type.length() - 2);
            value.forEach(item -> check(name, itemType, item));
            return value;
        }
        if (type.endsWith("<>")) {
            if (!value.isObject()) {
                throw marshall("'" + name + "' parameter should be an object");
            }
            return value;
        }
        switch (type) {
            case "String" -> {
                if (value.isContainerNode()) {
                    throw marshall("'" + name + "' parameter should be a string");
                }
            }
            case "int", "int64" -> {
                if (!(value.isIntegralNumber() || value.isBoolean() || value.isNull())) {
                    throw marshall("'" + name + "' parameter should be an integer");
                }
            }
            case "boolean" -> {
                if (!(value.isBoolean() || value.isNumber() || value.isNull())) {
                    throw marshall("'" + name + "' parameter should be a boolean");
                }
            }
            case "float", "double" -> {
                if (!(value.isNumber() || value.isNull())) {
                    throw marshall("'" + name + "' parameter should be a double");
                }
            }
            default -> checkComplex(name, type, value);
        }
        return value;
    }

    private static void checkComplex(String name, String type, JsonNode value) {
        if (Kmd.get().isRemoteClass(type)) {
            if (!value.isTextual()) {
                throw marshall("'" + name + "' parameter should be a string");
            }
            return;
        }
        Kmd.ComplexType complex = Kmd.get().complexType(type)
                .orElseThrow(() -> marshall("'" + name + "' parameter has an unknown type"));
        if (complex.isEnum()) {
            if (!value.isTextual()) {
                throw marshall("'" + name + "' parameter should be a string");
            }
            if (!complex.values().contains(value.asText())) {
                throw marshall("Invalid value for '" + type + "'");
            }
            return;
        }
        if (!value.isObject()) {
            throw marshall("'" + name + "' parameter should be an object");
        }
        for (Kmd.Param property : complex.properties()) {
            JsonNode member = value.get(property.name());
            if (member == null) {
                if (!property.optional()) {
                    throw marshall("'" + property.name() + "' parameter should be a " + describe(property.type()));
                }
            } else {
                check(property.name(), property.type(), member);
            }
        }
    }

    private static MediaObjectImpl resolve(String name, String type, String id, MediaSet mediaSet) {
        MediaObjectImpl object = mediaSet.find(id);
        if (!Kmd.get().isA(object.type(), type)) {
            throw marshall("'" + name + "' parameter should be a " + type);
        }
        return object;
    }

    private static String describe(String type) {
        if (type.endsWith("[]")) {
            return "array";
        }
        return switch (type) {
            case "int", "int64" -> "integer";
            case "boolean" -> "boolean";
            case "float", "double" -> "double";
            default -> Kmd.get().complexType(type).filter(complex -> !complex.isEnum()).isPresent() ? "object" : "string";
        };
    }

    private static KmsException marshall(String message) {
        return KmsException.of(KmsError.MARSHALL_ERROR, message);
    }
}

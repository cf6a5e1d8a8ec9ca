package dev.switchboard.emulator.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.TreeMap;

/** JSON as KMS writes it. */
public final class Json {

    /**
     * KMS serialises with jsoncpp, which keeps object members in key order; building every frame from
     * sorted objects makes ours byte-for-byte alike.
     */
    private static final JsonNodeFactory SORTED = new JsonNodeFactory(false) {
        @Override
        public ObjectNode objectNode() {
            return new ObjectNode(this, new TreeMap<>());
        }
    };

    public static final ObjectMapper MAPPER = JsonMapper.builder().nodeFactory(SORTED).build();

    private Json() {
    }

    public static ObjectNode object() {
        return SORTED.objectNode();
    }

    public static ArrayNode array() {
        return SORTED.arrayNode();
    }

    /** A value of one of the KMS complex types, tagged the way KMS tags them. */
    public static ObjectNode complex(String type) {
        return object().put("__module__", "kurento").put("__type__", type);
    }

    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode valueOf(Object pojo) {
        return MAPPER.valueToTree(pojo);
    }

    /** A string member, or null when absent or not textual. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}

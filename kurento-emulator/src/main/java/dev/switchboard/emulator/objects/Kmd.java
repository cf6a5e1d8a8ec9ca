package dev.switchboard.emulator.objects;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.emulator.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Kurento interface definitions (the {@code .kmd.json} files KMS and its clients are generated
 * from, shipped in {@code kms-api-core} and {@code kms-api-elements}). Reading them rather than
 * restating them keeps operations, parameters, property accessors, events and type hierarchies the
 * same as the real server's.
 */
public final class Kmd {

    public record Param(String name, String type, boolean optional, JsonNode defaultValue) {
    }

    public enum Kind { METHOD, GETTER, SETTER }

    /** An invokable operation: a declared method, or a getter or setter derived from a property. */
    public record Operation(String name, Kind kind, String property, List<Param> params, String returnType) {
    }

    public record ComplexType(String name, boolean isEnum, List<String> values, List<Param> properties) {
    }

    private record RemoteClass(String name, String parent, List<Param> constructor,
            Map<String, Operation> operations, List<String> events) {
    }

    private record EventType(String name, String parent, List<Param> properties) {
    }

    private static final Kmd INSTANCE = load("META-INF/kurento/core.kmd.json", "META-INF/kurento/elements.kmd.json");

    private final Map<String, RemoteClass> classes = new HashMap<>();
    private final Map<String, ComplexType> complexTypes = new HashMap<>();
    private final Map<String, EventType> events = new HashMap<>();

    private Kmd() {
    }

    public static Kmd get() {
        return INSTANCE;
    }

    /** Every ancestor of a class, nearest first, as {@code describe} lists them. */
    public List<String> ancestors(String className) {
        List<String> result = new ArrayList<>();
        RemoteClass current = classes.get(className);
        while (current != null && current.parent() != null) {
            result.add(current.parent());
            current = classes.get(current.parent());
        }
        return result;
    }

    public Set<String> events(String className) {
        Set<String> result = new LinkedHashSet<>();
        for (String name : lineage(className)) {
            result.addAll(classes.get(name).events());
        }
        return result;
    }

    public Optional<Operation> operation(String className, String operationName) {
        for (String name : lineage(className)) {
            Operation operation = classes.get(name).operations().get(operationName);
            if (operation != null) {
                return Optional.of(operation);
            }
        }
        return Optional.empty();
    }

    public List<Param> constructor(String className) {
        RemoteClass remoteClass = classes.get(className);
        return remoteClass == null ? List.of() : remoteClass.constructor();
    }

    public Optional<ComplexType> complexType(String name) {
        return Optional.ofNullable(complexTypes.get(name));
    }

    public boolean isRemoteClass(String type) {
        return classes.containsKey(type);
    }

    public boolean isA(String className, String ancestor) {
        return lineage(className).contains(ancestor);
    }

    /**
     * Events of the {@code Media} family carry their own name in {@code data.type}; those that extend
     * {@code RaiseBase} directly (ObjectCreated, ObjectDestroyed, Error) do not.
     */
    public boolean isMediaEvent(String eventName) {
        EventType event = events.get(eventName);
        while (event != null) {
            if ("Media".equals(event.name())) {
                return true;
            }
            event = event.parent() == null ? null : events.get(event.parent());
        }
        return false;
    }

    private List<String> lineage(String className) {
        List<String> result = new ArrayList<>();
        if (classes.containsKey(className)) {
            result.add(className);
            result.addAll(ancestors(className));
        }
        return result;
    }

    private static Kmd load(String... resources) {
        Kmd kmd = new Kmd();
        for (String resource : resources) {
            try (InputStream in = Kmd.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Kurento interface definition missing from the classpath: " + resource);
                }
                kmd.read(Json.MAPPER.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return kmd;
    }

    private void read(JsonNode module) {
        for (JsonNode node : module.path("remoteClasses")) {
            String name = node.path("name").asText();
            Map<String, Operation> operations = new LinkedHashMap<>();
            for (JsonNode property : node.path("properties")) {
                String propertyName = property.path("name").asText();
                String type = property.path("type").asText();
                String accessor = Character.toUpperCase(propertyName.charAt(0)) + propertyName.substring(1);
                operations.put("get" + accessor, new Operation("get" + accessor, Kind.GETTER, propertyName, List.of(), type));
                if (!property.path("readOnly").asBoolean() && !property.path("final").asBoolean()) {
                    operations.put("set" + accessor, new Operation("set" + accessor, Kind.SETTER, propertyName,
                            List.of(new Param(propertyName, type, false, null)), null));
                }
            }
            for (JsonNode method : node.path("methods")) {
                String methodName = method.path("name").asText();
                JsonNode returns = method.path("return");
                String returnType = returns.isMissingNode() ? null : returns.path("type").asText();
                operations.put(methodName, new Operation(methodName, Kind.METHOD, null, params(method.path("params")), returnType));
            }
            List<String> eventNames = new ArrayList<>();
            node.path("events").forEach(event -> eventNames.add(event.asText()));
            String parent = node.path("extends").isMissingNode() ? null : node.path("extends").asText();
            classes.put(name, new RemoteClass(name, parent, params(node.path("constructor").path("params")), operations, eventNames));
        }
        for (JsonNode node : module.path("complexTypes")) {
            boolean isEnum = "ENUM".equals(node.path("typeFormat").asText());
            List<String> values = new ArrayList<>();
            node.path("values").forEach(value -> values.add(value.asText()));
            String name = node.path("name").asText();
            complexTypes.put(name, new ComplexType(name, isEnum, values, params(node.path("properties"))));
        }
        for (JsonNode node : module.path("events")) {
            String name = node.path("name").asText();
            String parent = node.path("extends").isMissingNode() ? null : node.path("extends").asText();
            events.put(name, new EventType(name, parent, params(node.path("properties"))));
        }
    }

    private static List<Param> params(JsonNode list) {
        List<Param> result = new ArrayList<>();
        for (JsonNode param : list) {
            String type = param.path("type").asText();
            JsonNode defaultValue = param.has("defaultValue") ? param.get("defaultValue") : null;
            result.add(new Param(param.path("name").asText(), type, param.path("optional").asBoolean(), defaultValue));
        }
        return List.copyOf(result);
    }
}

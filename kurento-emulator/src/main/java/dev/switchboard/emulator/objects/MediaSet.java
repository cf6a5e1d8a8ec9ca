package dev.switchboard.emulator.objects;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.emulator.protocol.Json;
import dev.switchboard.emulator.protocol.KmsError;
import dev.switchboard.emulator.protocol.KmsException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Every object of one server instance and which sessions hold it, with KMS's rules (its MediaSet):
 * an object lives while at least one session references it; creating, describing, invoking or
 * subscribing references it (and its parents) from the calling session; a session that sees no
 * activity for two garbage-collector passes drops its references; an object that loses its last
 * reference is released, children first.
 */
public final class MediaSet {

    public static final String SERVER_MANAGER_ID = "manager_ServerManager";
    private static final String NEW_REF = "newref:";

    /** Where notifications for a session go (the socket currently bound to it, if any). */
    @FunctionalInterface
    public interface EventOutlet {
        void deliver(String sessionId, ObjectNode notification);
    }

    private final Environment environment;
    private final EventOutlet outlet;
    // std::map in KMS: getPipelines, getChildren and getSessions list ids in this order.
    private final Map<String, MediaObjectImpl> objects = new TreeMap<>();
    private final Map<String, Set<String>> sessionObjects = new TreeMap<>();
    private final Map<String, Set<String>> objectSessions = new HashMap<>();
    private final Map<String, Boolean> sessionInUse = new HashMap<>();
    private final Map<String, Map<String, MediaObjectImpl>> children = new HashMap<>();
    /** session, then object, then subscription id, to event type. */
    private final Map<String, Map<String, Map<String, String>>> subscriptions = new HashMap<>();
    /** KMS releases objects on a worker after the bookkeeping is done; so do we, at the end of the outermost change. */
    private final List<MediaObjectImpl> released = new ArrayList<>();
    private final ServerManagerImpl serverManager;
    private int changeDepth;
    private boolean shutDown;

    public MediaSet(Environment environment, EventOutlet outlet) {
        this.environment = environment;
        this.outlet = outlet;
        this.serverManager = new ServerManagerImpl(this);
        objects.put(SERVER_MANAGER_ID, serverManager);
    }

    public Environment environment() {
        return environment;
    }

    /** An object any session may see; one nobody references no longer exists, except the ServerManager. */
    public MediaObjectImpl find(String id) {
        if (id.length() > NEW_REF.length() && id.startsWith(NEW_REF)) {
            throw KmsException.of(KmsError.MEDIA_OBJECT_NOT_FOUND_TRANSACTION_NO_COMMIT,
                    "Object '" + id + "' not found. Possibly using a transactional object without committing the transaction.");
        }
        MediaObjectImpl object = objects.get(id);
        if (object == null) {
            throw KmsException.notFound(id);
        }
        Set<String> holders = objectSessions.get(id);
        if ((holders == null || holders.isEmpty()) && object != serverManager) {
            throw KmsException.notFound(id);
        }
        return object;
    }

    /** Looks an object up on behalf of a session, which from then on holds it. */
    public MediaObjectImpl touch(String sessionId, String id) {
        MediaObjectImpl object = find(id);
        ref(sessionId, object);
        return object;
    }

    public void ref(String sessionId, String id) {
        ref(sessionId, find(id));
    }

    public void ref(String sessionId, MediaObjectImpl object) {
        sessionInUse.put(sessionId, true);
        if (object.parent() != null) {
            ref(sessionId, object.parent());
        }
        sessionObjects.computeIfAbsent(sessionId, key -> new TreeSet<>()).add(object.id());
        objectSessions.computeIfAbsent(object.id(), key -> new TreeSet<>()).add(sessionId);
    }

    /** A new object joins the set, held by the session that created it. */
    public <T extends MediaObjectImpl> T adopt(T object, String sessionId) {
        objects.put(object.id(), object);
        if (object.parent() != null) {
            children.computeIfAbsent(object.parent().id(), parent -> new TreeMap<>()).put(object.id(), object);
        }
        serverManager.emit("ObjectCreated", Json.object().put("object", object.id()));
        ref(sessionId, object);
        return object;
    }

    public void unref(String sessionId, String id) {
        MediaObjectImpl object;
        try {
            object = find(id);
        } catch (KmsException notFound) {
            return;
        }
        change(() -> unref(sessionId, object));
    }

    /** Releases an object whoever holds it; releasing what is already gone is not an error. */
    public void release(String id) {
        MediaObjectImpl object;
        try {
            object = find(id);
        } catch (KmsException notFound) {
            return;
        }
        Set<String> holders = objectSessions.get(object.id());
        if (holders == null) {
            return;
        }
        change(() -> List.copyOf(holders).forEach(session -> unref(session, object)));
    }

    public void keepAlive(String sessionId) {
        if (!sessionInUse.containsKey(sessionId)) {
            throw KmsException.of(KmsError.INVALID_SESSION, "Invalid session");
        }
        sessionInUse.put(sessionId, true);
    }

    public void keepAliveIfKnown(String sessionId) {
        sessionInUse.computeIfPresent(sessionId, (session, inUse) -> true);
    }

    /** Drops every reference a session holds; objects nobody else holds go with them. */
    public void unrefSession(String sessionId) {
        change(() -> {
            Set<String> held = sessionObjects.get(sessionId);
            if (held != null) {
                for (String id : List.copyOf(held)) {
                    MediaObjectImpl object = objects.get(id);
                    if (object != null) {
                        unref(sessionId, object);
                    }
                }
            }
            forgetSession(sessionId);
        });
    }

    /** Releases everything a session holds, even what other sessions hold too. */
    public void releaseSession(String sessionId) {
        change(() -> {
            Set<String> held = sessionObjects.get(sessionId);
            if (held != null) {
                List.copyOf(held).forEach(this::release);
            }
            forgetSession(sessionId);
        });
    }

    /**
     * One garbage-collector pass: a session idle since the previous pass is dropped, the others are
     * marked idle. Sessions bound to an open socket count as active, as KMS keeps them alive.
     */
    public void collectGarbage(Collection<String> connectedSessions) {
        connectedSessions.forEach(this::keepAliveIfKnown);
        for (Map.Entry<String, Boolean> session : List.copyOf(sessionInUse.entrySet())) {
            if (session.getValue()) {
                sessionInUse.put(session.getKey(), false);
            } else {
                unrefSession(session.getKey());
            }
        }
    }

    public String subscribe(String sessionId, MediaObjectImpl object, String eventType) {
        if (!Kmd.get().events(object.type()).contains(eventType)) {
            throw KmsException.of(KmsError.MEDIA_OBJECT_EVENT_NOT_SUPPORTED, "Event '" + eventType + "' not supported");
        }
        String subscription = UUID.randomUUID().toString();
        subscriptions.computeIfAbsent(sessionId, key -> new HashMap<>())
                .computeIfAbsent(object.id(), key -> new HashMap<>())
                .put(subscription, eventType);
        return subscription;
    }

    public void unsubscribe(String sessionId, String objectId, String subscription) {
        Map<String, String> onObject = subscriptions.getOrDefault(sessionId, Map.of()).get(objectId);
        if (onObject != null) {
            onObject.remove(subscription);
        }
    }

    /** Raises an event on an object: every session subscribed to it gets one notification. */
    void emit(MediaObjectImpl source, String eventType, ObjectNode fields) {
        if (shutDown || source.isReleased()) {
            return;
        }
        ObjectNode data = fields.deepCopy();
        data.put("source", source.id());
        data.set("tags", source.eventTags());
        data.put("timestampMillis", String.valueOf(environment.scheduler().nowMillis()));
        if (Kmd.get().isMediaEvent(eventType)) {
            data.put("type", eventType);
        }
        ObjectNode value = Json.object();
        value.set("data", data);
        value.put("object", source.id());
        value.put("type", eventType);
        ObjectNode params = Json.object();
        params.set("value", value);
        ObjectNode notification = Json.object().put("jsonrpc", "2.0").put("method", "onEvent");
        notification.set("params", params);
        subscriptions.forEach((sessionId, byObject) -> {
            Map<String, String> onObject = byObject.get(source.id());
            if (onObject != null && onObject.containsValue(eventType)) {
                outlet.deliver(sessionId, notification);
            }
        });
    }

    /** What {@code ServerManager.getSessions} answers, including KMS's leading empty strings. */
    public List<String> sessionListing() {
        List<String> listing = new ArrayList<>();
        sessionObjects.keySet().forEach(session -> listing.add(""));
        listing.addAll(sessionObjects.keySet());
        return listing;
    }

    /** What {@code ServerManager.getPipelines} answers; like KMS it references every object into the caller's session. */
    public List<MediaPipelineImpl> pipelines(String sessionId) {
        List<MediaPipelineImpl> pipelines = new ArrayList<>();
        for (String id : List.copyOf(objects.keySet())) {
            try {
                if (touch(sessionId, id) instanceof MediaPipelineImpl pipeline) {
                    pipelines.add(pipeline);
                }
            } catch (KmsException gone) {
                // released meanwhile
            }
        }
        return pipelines;
    }

    public List<MediaObjectImpl> children(MediaObjectImpl parent) {
        return List.copyOf(children.getOrDefault(parent.id(), Map.of()).values());
    }

    /** Every media object (the ServerManager aside), in id order. */
    public List<MediaObjectImpl> mediaObjects() {
        return objects.values().stream().filter(object -> object != serverManager).toList();
    }

    public Set<String> holders(String objectId) {
        return Set.copyOf(objectSessions.getOrDefault(objectId, Set.of()));
    }

    public Map<String, List<String>> sessions() {
        Map<String, List<String>> result = new TreeMap<>();
        sessionInUse.keySet().forEach(session -> result.put(session, List.copyOf(sessionObjects.getOrDefault(session, Set.of()))));
        return result;
    }

    /** The server went away: nothing more is emitted and every pending simulation stops. */
    public void shutDown() {
        shutDown = true;
        objects.values().forEach(MediaObjectImpl::markReleased);
    }

    private void unref(String sessionId, MediaObjectImpl object) {
        Set<String> held = sessionObjects.get(sessionId);
        if (held != null && !held.remove(object.id())) {
            return;
        }
        for (MediaObjectImpl child : children(object)) {
            unref(sessionId, child);
        }
        Map<String, Map<String, String>> sessionSubscriptions = subscriptions.get(sessionId);
        if (sessionSubscriptions != null) {
            sessionSubscriptions.remove(object.id());
        }
        Set<String> holders = objectSessions.get(object.id());
        if (holders != null) {
            holders.remove(sessionId);
            if (holders.isEmpty() && object != serverManager) {
                objectSessions.remove(object.id());
                objects.remove(object.id());
                children.remove(object.id());
                Map<String, MediaObjectImpl> siblings = object.parent() == null ? null : children.get(object.parent().id());
                if (siblings != null) {
                    siblings.remove(object.id());
                }
                object.markReleased();
                released.add(object);
            }
        }
    }

    private void forgetSession(String sessionId) {
        sessionObjects.remove(sessionId);
        sessionInUse.remove(sessionId);
        subscriptions.remove(sessionId);
    }

    private void change(Runnable bookkeeping) {
        changeDepth++;
        try {
            bookkeeping.run();
        } finally {
            changeDepth--;
        }
        if (changeDepth == 0) {
            while (!released.isEmpty()) {
                MediaObjectImpl object = released.removeFirst();
                object.onReleased();
                serverManager.emit("ObjectDestroyed", Json.object().put("objectId", object.id()));
            }
        }
    }
}

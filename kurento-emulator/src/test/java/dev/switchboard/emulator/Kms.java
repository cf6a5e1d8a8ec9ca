package dev.switchboard.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.kurento.client.Event;
import org.kurento.client.EventListener;
import org.kurento.client.IceCandidate;
import org.kurento.client.KurentoClient;
import org.kurento.jsonrpc.client.JsonRpcClientNettyWebSocket;

/** Test helpers around the real Kurento Java client. */
final class Kms {

    /** A host candidate as Chromium trickles it for its first m-line. */
    static final IceCandidate BROWSER_CANDIDATE = new IceCandidate(
            "candidate:3563417340 1 udp 2113937151 127.0.0.1 50000 typ host generation 0 ufrag YFPf network-cost 999", "0", 0);

    private Kms() {
    }

    /** A client as a service would make it: it closes its session when destroyed. */
    static KurentoClient client(KurentoEmulator emulator) {
        return KurentoClient.create(emulator.url());
    }

    /**
     * A client whose process "dies": destroying it only cuts its socket, without closing its session,
     * as when the service running it crashes.
     */
    static KurentoClient crashingClient(KurentoEmulator emulator) {
        return KurentoClient.createFromJsonRpcClient(new JsonRpcClientNettyWebSocket(emulator.url()));
    }

    /** A real headless-Chromium offer (audio and video, BUNDLE, trickle ICE). */
    static String chromiumOffer() {
        return resource("/kms-traces/offer-chromium.sdp");
    }

    static String kmsAnswer() {
        return resource("/kms-traces/answer-kms.sdp");
    }

    static String resource(String path) {
        try (InputStream in = Kms.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Events of one kind as they arrive, for assertions through Awaitility. */
    static final class Recorder<T extends Event> implements EventListener<T> {

        private final List<T> events = new CopyOnWriteArrayList<>();

        static <T extends Event> Recorder<T> on(Consumer<Recorder<T>> subscribe) {
            Recorder<T> recorder = new Recorder<>();
            subscribe.accept(recorder);
            return recorder;
        }

        @Override
        public void onEvent(T event) {
            events.add(event);
        }

        List<T> events() {
            return List.copyOf(events);
        }
    }
}

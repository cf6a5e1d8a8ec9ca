package dev.switchboard.room.kurento;

import org.jboss.logging.Logger;
import org.kurento.client.KurentoClient;
import org.kurento.client.KurentoConnectionListener;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One media server's connection: a Kurento client made on first use, whether the server can be reached,
 * and a reconnection loop that cannot get stuck. The client is never closed on shutdown: closing sends
 * {@code closeSession}, and Kurento then destroys every object only this session holds, which would cut
 * the media of the rooms being handed over. A session that just goes away keeps its objects for the next
 * owner to take over.
 */
final class KurentoConnection {

    private static final Logger LOG = Logger.getLogger(KurentoConnection.class);
    private static final Duration RECONNECT_EVERY = Duration.ofSeconds(1);

    /** What the connection tells its owner. */
    interface Listener {
        /** The server became reachable ({@code true}) or unreachable. */
        void availability(boolean available);

        /** The client now speaks to a server that no longer knows the objects of the old one. */
        void newSession();
    }

    private final String url;
    private final Listener listener;
    private final ReentrantLock connecting = new ReentrantLock();
    private final AtomicBoolean available = new AtomicBoolean(true);
    private final AtomicBoolean reconnecting = new AtomicBoolean();
    private volatile KurentoClient client;

    KurentoConnection(String url, Listener listener) {
        this.url = url;
        this.listener = listener;
    }

    String url() {
        return url;
    }

    boolean available() {
        return available.get();
    }

    /**
     * Connects on first use, never at startup: creating a client against a media server that accepts TCP
     * but never completes the handshake blocks for 25 s.
     */
    KurentoClient client() {
        KurentoClient current = client;
        if (current != null && !current.isClosed()) {
            return current;
        }
        connecting.lock();
        try {
            if (client == null || client.isClosed()) {
                listener.newSession();
                ConnectionEvents events = new ConnectionEvents();
                client = KurentoClient.create(url, events);
                events.of = client;
            }
            return client;
        } finally {
            connecting.unlock();
        }
    }

    /** A call failed without an answer: rooms hear of it once, and a background thread connects again. */
    void lost() {
        if (available.compareAndSet(true, false)) {
            LOG.warnf("media server %s is unreachable; its rooms wait for it", url);
            listener.availability(false);
        }
        if (reconnecting.compareAndSet(false, true)) {
            Thread.ofVirtual().name("kms-reconnect").start(this::reconnect);
        }
    }

    private void back() {
        if (available.compareAndSet(false, true)) {
            LOG.infof("media server %s is reachable again", url);
            listener.availability(true);
        }
    }

    /**
     * Until the media server answers again: the Kurento client reconnects on its own after a dropped
     * socket, but gives up on a server that stays away; then a new client is needed.
     */
    private void reconnect() {
        do {
            while (!available()) {
                LockSupport.parkNanos(RECONNECT_EVERY.toNanos());
                try {
                    client().getServerManager().getInfo();
                    back();
                } catch (RuntimeException stillAway) {
                    LOG.debugf("media server %s still unreachable: %s", url, stillAway.getMessage());
                    KurentoClient current = client;
                    if (current != null && !current.isClosed()) {
                        current.destroy();
                    }
                }
            }
            reconnecting.set(false);
            // Lost again between the loop's last look and now: nobody else will reconnect.
        } while (!available() && reconnecting.compareAndSet(false, true));
    }

    /** The Kurento client's own view of its connection. */
    private final class ConnectionEvents implements KurentoConnectionListener {
        /** The client these events are about; a replaced client's last words are not news. */
        private volatile KurentoClient of;

        private boolean current() {
            return of == null || of == client;
        }

        @Override
        public void connected() {
            LOG.infof("connected to media server %s", url);
        }

        @Override
        public void connectionFailed() {
            if (current()) {
                lost();
            }
        }

        @Override
        public void disconnected() {
            if (current()) {
                lost();
            }
        }

        @Override
        public void reconnected(boolean sameServer) {
            LOG.infof("reconnected to media server %s (same server: %s)", url, sameServer);
            if (!current()) {
                return;
            }
            if (!sameServer) {
                listener.newSession();
            }
            back();
        }
    }
}

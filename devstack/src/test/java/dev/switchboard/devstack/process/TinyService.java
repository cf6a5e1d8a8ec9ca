package dev.switchboard.devstack.process;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stands in for a packaged service: serves /q/health/ready on QUARKUS_HTTP_PORT (after
 * TINY_READY_AFTER_MS), prints the Switchboard settings it was given, and says when it stops
 * gracefully. TINY_FAIL=true makes it exit with code 3 before it is ready.
 */
public final class TinyService {

    public static final String STARTED = "tiny service started";
    public static final String STOPPED_GRACEFULLY = "tiny service stopped gracefully";
    public static final String FAILING = "tiny service failing on purpose";

    private TinyService() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> settings = new TreeMap<>(System.getenv());
        settings.keySet().removeIf(key -> !key.matches("(QUARKUS|KAFKA|KMS|SWITCHBOARD)_.*"));
        settings.forEach((key, value) -> System.out.println(key + "=" + value));
        if (Boolean.parseBoolean(System.getenv("TINY_FAIL"))) {
            System.out.println(FAILING);
            System.exit(3);
        }
        long readyAt = System.currentTimeMillis() + Long.parseLong(System.getenv().getOrDefault("TINY_READY_AFTER_MS", "0"));
        int port = Integer.parseInt(System.getenv("QUARKUS_HTTP_PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/q/health/ready", exchange -> {
            exchange.sendResponseHeaders(System.currentTimeMillis() >= readyAt ? 200 : 503, -1);
            exchange.close();
        });
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(STOPPED_GRACEFULLY)));
        System.out.println(STARTED);
    }
}

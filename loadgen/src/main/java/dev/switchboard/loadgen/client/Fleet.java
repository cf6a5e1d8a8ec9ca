package dev.switchboard.loadgen.client;

import dev.switchboard.contracts.auth.Hs256Tokens;
import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.contracts.client.SignalingClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * What every simulated client shares: the gateway's address, the few HTTP clients their sockets are
 * spread over (each HttpClient has one selector thread: one per socket would be thousands), the
 * token secret and the SDP offer a real Chromium sends.
 */
public final class Fleet {

    /** Enough selector threads to keep a 2-core machine's sockets moving; more only add threads. */
    private static final int HTTP_CLIENTS = 4;
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(2);

    private final URI signaling;
    private final String jwtSecret;
    private final List<HttpClient> http;
    private final AtomicInteger next = new AtomicInteger();
    private final String offer;

    public Fleet(URI signaling, String jwtSecret) {
        this.signaling = signaling;
        this.jwtSecret = jwtSecret;
        this.http = IntStream.range(0, HTTP_CLIENTS).mapToObj(i -> HttpClient.newHttpClient()).toList();
        this.offer = chromiumOffer();
    }

    /** Opens one more socket to the gateway. */
    public SignalingClient connect() {
        return SignalingClient.connect(http.get(Math.floorMod(next.getAndIncrement(), HTTP_CLIENTS)), signaling);
    }

    public String token(String userId, String roomId) {
        return Hs256Tokens.sign(new TokenClaims(userId, userId, List.of(roomId), List.of(),
                Instant.now().plus(TOKEN_LIFETIME)), jwtSecret);
    }

    public String adminToken() {
        return Hs256Tokens.sign(new TokenClaims("loadgen", "loadgen", List.of(), List.of(TokenClaims.ADMIN),
                Instant.now().plus(TOKEN_LIFETIME)), jwtSecret);
    }

    /** The offer of Chromium's camera-and-microphone publish, captured against KMS 7.3. */
    public String offer() {
        return offer;
    }

    private static String chromiumOffer() {
        try (InputStream sdp = Fleet.class.getResourceAsStream("/offer-chromium.sdp")) {
            if (sdp == null) {
                throw new IllegalStateException("offer-chromium.sdp is missing from the classpath");
            }
            return new String(sdp.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.github.listenerdedup.it.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimResult.Status;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.core.StoreUnavailableException;
import io.github.listenerdedup.store.redis.RedisClaimStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SslOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS ({@code rediss://}) with a password, on a Redis process of the test's own that listens with TLS on one port
 * (and without, for its readiness check, on another), its certificate self-signed by {@code openssl} for
 * 127.0.0.1. The TLS port speaks nothing but TLS, so a claim that succeeds there went over TLS.
 */
class RedisTlsIT {

    private static final String OPENSSL = RedisServerProcess.env("DEDUP_TEST_OPENSSL", "openssl");
    private static final String PASSWORD = "tls-secret";
    private static final Duration LEASE = Duration.ofSeconds(30);

    private static Path certificates;
    private static Path certificate;
    private static int tlsPort;
    private static RedisServerProcess server;

    private final ClaimKey key = new ClaimKey("dedup", "tls-" + UUID.randomUUID(), "E1");

    @BeforeAll
    static void startServer() throws IOException {
        certificates = Files.createTempDirectory("redis-tls-it-");
        certificate = certificates.resolve("redis.crt");
        Path privateKey = certificates.resolve("redis.key");
        selfSign(certificate, privateKey);
        tlsPort = RedisServerProcess.freePort();
        server = RedisServerProcess.start("--tls-port", Integer.toString(tlsPort), "--tls-cert-file",
                certificate.toString(), "--tls-key-file", privateKey.toString(), "--tls-ca-cert-file",
                certificate.toString(), "--tls-auth-clients", "no", "--requirepass", PASSWORD);
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
        try (var files = Files.list(certificates)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(certificates);
    }

    @Test
    void shouldClaimOverTlsWhenClientTrustsTheServersCertificate() {
        RedisClient client = RedisClient.create("rediss://:" + PASSWORD + "@127.0.0.1:" + tlsPort + "?timeout=2s");
        client.setOptions(ClientOptions.builder()
                .sslOptions(SslOptions.builder().jdkSslProvider().trustManager(certificate.toFile()).build())
                .build());
        try (RedisClaimStore store = RedisClaimStore.connect(client)) {
            OwnerToken token = OwnerToken.random();

            assertThat(store.claim(key, token, null, LEASE)).extracting(ClaimResult::status, ClaimResult::owner)
                    .containsExactly(Status.ACQUIRED, token.value());
        } finally {
            client.shutdown();
        }
    }

    @Test
    void shouldClaimOverTlsWhenUriTurnsPeerVerificationOff() {
        String uri = "rediss://:" + PASSWORD + "@127.0.0.1:" + tlsPort + "?timeout=2s&verifyPeer=NONE";

        try (RedisClaimStore store = RedisClaimStore.connect(uri)) {
            assertThat(store.claim(key, OwnerToken.random(), null, LEASE).status()).isEqualTo(Status.ACQUIRED);
        }
    }

    @Test
    void shouldRefuseTlsWhenTheServersCertificateIsNotTrusted() {
        String uri = "rediss://:" + PASSWORD + "@127.0.0.1:" + tlsPort + "?timeout=2s";

        assertThatThrownBy(() -> RedisClaimStore.connect(uri)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("The TLS handshake with Redis at rediss://")
                .hasMessageNotContaining(PASSWORD)
                .hasMessageEndingWith("; check that the server's certificate is trusted and names the host");
    }

    @Test
    void shouldNotReachTlsPortWhenUriAsksForPlainConnection() {
        String uri = "redis://:" + PASSWORD + "@127.0.0.1:" + tlsPort + "?timeout=1s";

        assertThatThrownBy(() -> RedisClaimStore.connect(uri)).isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("Could not connect to Redis at redis://");
    }

    private static void selfSign(Path certificate, Path privateKey) {
        List<String> command = List.of(OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1", "-keyout", privateKey.toString(), "-out", certificate.toString());
        ExternalCommand.run(command, "install openssl or point DEDUP_TEST_OPENSSL at it");
    }
}

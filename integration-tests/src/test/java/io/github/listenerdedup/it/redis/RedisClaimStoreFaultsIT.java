package io.github.listenerdedup.it.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.CapturedLogs;
import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimResult.Status;
import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.core.StoreUnavailableException;
import io.github.listenerdedup.store.redis.RedisClaimStore;
import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real faults on a Redis process of the test's own: a stopped server, a port nobody listens on, a read-only replica,
 * and a paused server whose late reply makes the client time out.
 */
class RedisClaimStoreFaultsIT {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration RECOVERY_WAIT = Duration.ofSeconds(30);

    private static RedisServerProcess server;

    private final String group = "faults-" + UUID.randomUUID();

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void shouldThrowStoreUnavailableWhileServerIsStoppedAndClaimAgainOnceItIsBack() {
        try (RedisClaimStore store = RedisClaimStore.connect(server.uri("timeout=500ms"))) {
            assertThat(store.claim(key("E6-before"), OwnerToken.random(), null, LEASE).status())
                    .isEqualTo(Status.ACQUIRED);

            server.stop();

            assertThatThrownBy(() -> store.claim(key("E6"), OwnerToken.random(), null, LEASE))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageStartingWith("Redis could not claim ");
            assertThatThrownBy(() -> store.inspect(key("E6"))).isInstanceOf(StoreUnavailableException.class);
            server.restart();
            OwnerToken token = OwnerToken.random();
            await().atMost(RECOVERY_WAIT).ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                    .untilAsserted(() -> assertThat(store.claim(key("E6"), token, null, LEASE))
                            .extracting(ClaimResult::status, ClaimResult::owner, ClaimResult::attempt)
                            .containsExactly(Status.ACQUIRED, token.value(), 1));
        } finally {
            if (!server.isRunning()) {
                server.restart();
            }
        }
    }

    @Test
    void shouldThrowStoreUnavailableWhenNothingListensAtConnect() throws Exception {
        String uri = "redis://127.0.0.1:" + RedisServerProcess.freePort() + "?timeout=500ms";

        assertThatThrownBy(() -> RedisClaimStore.connect(uri)).isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("Could not connect to Redis at redis://127.0.0.1:");
    }

    @Test
    void shouldWarnAtStartUpAndThrowStoreUnavailableWhenServerIsReadOnlyReplica() {
        try (RedisServerProcess replica = RedisServerProcess.start("--replicaof", "127.0.0.1",
                Integer.toString(server.port()))) {
            awaitReplicaInSync(replica);
            AtomicReference<RedisClaimStore> opened = new AtomicReference<>();

            String logs = CapturedLogs.during("io.github.listenerdedup.store.redis",
                    () -> opened.set(RedisClaimStore.connect(replica.uri("timeout=2s"))));

            try (RedisClaimStore store = opened.get()) {
                assertThat(logs).contains("WARN io.github.listenerdedup.store.redis.ServerChecks - Redis at "
                        + replica.uri("timeout=2s") + " is a replica: it refuses every write (READONLY)");
                assertThatThrownBy(() -> store.claim(key("E-replica"), OwnerToken.random(), null, LEASE))
                        .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("READONLY");
                assertThat(store.inspect(key("E-replica"))).isEqualTo(ClaimSnapshot.ABSENT);
            }
        }
    }

    @Test
    void shouldFindOwnClaimWhenRetriedAfterReplyCameTooLate() {
        ClaimKey key = key("E7");
        OwnerToken token = OwnerToken.random();
        try (RedisClaimStore store = RedisClaimStore.connect(server.uri("timeout=300ms"));
                AdminConnection admin = AdminConnection.to(server.uri(""))) {
            store.claim(key("E7-warm-up"), OwnerToken.random(), null, LEASE);
            admin.commands().clientPause(1_500);

            assertThatThrownBy(() -> store.claim(key, token, null, LEASE))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasCauseInstanceOf(RedisCommandTimeoutException.class);

            await().atMost(RECOVERY_WAIT).ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                    .until(() -> store.inspect(key).state() == ClaimState.IN_PROGRESS);
            assertThat(store.claim(key, token, null, LEASE))
                    .extracting(ClaimResult::status, ClaimResult::owner, ClaimResult::attempt)
                    .containsExactly(Status.ACQUIRED, token.value(), 1);
            assertThat(store.claim(key, OwnerToken.random(), null, LEASE).status()).isEqualTo(Status.IN_PROGRESS);
        }
    }

    private static void awaitReplicaInSync(RedisServerProcess replica) {
        try (AdminConnection admin = AdminConnection.to(replica.uri(""))) {
            await().atMost(RECOVERY_WAIT)
                    .until(() -> admin.commands().info("replication").contains("master_link_status:up"));
        }
    }

    private ClaimKey key(String eventId) {
        return new ClaimKey("dedup", group, eventId);
    }
}

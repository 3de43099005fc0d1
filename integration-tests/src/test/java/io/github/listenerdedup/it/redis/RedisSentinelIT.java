package io.github.listenerdedup.it.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.IncomingDelivery;
import io.github.listenerdedup.it.HandlerRuns;
import io.github.listenerdedup.it.jms.OutcomeCounts;
import io.github.listenerdedup.store.redis.RedisClaimStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store through Sentinel, on processes of the test's own: one primary, one replica, one Sentinel that fails the
 * primary over one second after it goes silent. A stream of deliveries goes on while the primary is stopped: the
 * errors of the switch count as "store unavailable" (held and requeued, never run, never duplicates), and the
 * client follows Sentinel to the new primary, where the claims written before the failover are found.
 */
class RedisSentinelIT {

    private static final String PRIMARY_NAME = "dedup-primary";
    private static final Duration DOWN_AFTER = Duration.ofMillis(1_000);
    private static final Duration SETUP_WAIT = Duration.ofSeconds(30);
    private static final Duration FAILOVER_WAIT = Duration.ofSeconds(60);
    private static final int EVENTS_PER_PHASE = 10;
    private static final Pattern OFFSET = Pattern.compile("master_repl_offset:(\\d+)");

    private static RedisServerProcess primary;
    private static RedisServerProcess replica;
    private static RedisServerProcess sentinel;
    private static RedisClient sentinelClient;
    private static StatefulRedisSentinelConnection<String, String> sentinelConnection;

    private final HandlerRuns runs = new HandlerRuns();
    private final OutcomeCounts outcomes = new OutcomeCounts();

    @BeforeAll
    static void startServers() {
        primary = RedisServerProcess.start();
        replica = RedisServerProcess.start("--replicaof", "127.0.0.1", Integer.toString(primary.port()));
        awaitReplicaInSync();
        sentinel = RedisServerProcess.startSentinel(PRIMARY_NAME, primary.port(), DOWN_AFTER);
        sentinelClient = RedisClient.create(sentinel.uri(""));
        sentinelConnection = sentinelClient.connectSentinel();
        await().atMost(SETUP_WAIT).until(RedisSentinelIT::sentinelWatchesHealthyReplica);
    }

    @AfterAll
    static void stopServers() {
        sentinelConnection.close();
        sentinelClient.shutdown();
        sentinel.close();
        replica.close();
        primary.close();
    }

    @Test
    void shouldRefuseStandaloneStoreWhenPointedAtSentinel() {
        String uri = sentinel.uri("timeout=1s");

        assertThatThrownBy(() -> RedisClaimStore.connect(uri)).isInstanceOf(IllegalStateException.class)
                .hasMessage("Redis at " + uri + " is a Sentinel, not a data node; connect with a "
                        + "redis-sentinel://host:port#primaryName URI instead");
    }

    @Test
    void shouldFollowNewPrimaryAndNeverRunTwiceWhenSentinelFailsOverMidStream() {
        String uri = "redis-sentinel://127.0.0.1:" + sentinel.port() + "#" + PRIMARY_NAME;
        DedupSettings settings = DedupSettings.builder().group("sentinel-" + UUID.randomUUID())
                .inFlightWait(Duration.ofMillis(200)).build();
        try (RedisClaimStore store = RedisClaimStore.connect(uri);
                Deduplicator deduplicator = new Deduplicator(settings, store, outcomes)) {
            List<String> before = ids(0);
            List<String> after = ids(EVENTS_PER_PHASE);

            before.forEach(id -> deliverTwice(deduplicator, id));
            awaitReplicaInSync();
            primary.stop();
            after.forEach(id -> deliverTwice(deduplicator, id));
            before.forEach(id -> assertThat(deliver(deduplicator, id)).isEqualTo(DeliveryOutcome.DUPLICATE));

            assertThat(sentinelConnection.sync().getMasterAddrByName(PRIMARY_NAME))
                    .isInstanceOfSatisfying(InetSocketAddress.class, address -> assertThat(address.getPort())
                            .as("the primary's port after the failover").isEqualTo(replica.port()));
            assertThat(outcomes.of(DeliveryOutcome.STORE_UNAVAILABLE)).as("deliveries requeued during the switch")
                    .isPositive();
            assertThat(runs.successCounts()).hasSize(2 * EVENTS_PER_PHASE).allSatisfy((id, count) ->
                    assertThat(count).as("runs of %s", id).isOne());
            assertThat(store.inspect(settings.keyFor(before.get(0))).state()).isEqualTo(ClaimState.COMPLETED);
        }
    }

    private void deliverTwice(Deduplicator deduplicator, String id) {
        assertThat(deliver(deduplicator, id)).as("first copy of %s", id).isEqualTo(DeliveryOutcome.PROCESSED);
        assertThat(deliver(deduplicator, id)).as("second copy of %s", id).isEqualTo(DeliveryOutcome.DUPLICATE);
    }

    /** Delivers until the outcome is other than a requeue for an unreachable store, as a broker would redeliver. */
    private DeliveryOutcome deliver(Deduplicator deduplicator, String id) {
        return await().atMost(FAILOVER_WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> processOnce(deduplicator, id), outcome -> outcome != DeliveryOutcome.STORE_UNAVAILABLE);
    }

    private DeliveryOutcome processOnce(Deduplicator deduplicator, String id) throws Exception {
        try {
            return deduplicator.process(IncomingDelivery.of(id, null), () -> {
                runs.started(id);
                runs.succeeded(id);
            });
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static List<String> ids(int first) {
        return IntStream.range(first, first + EVENTS_PER_PHASE).mapToObj(i -> "E" + i).toList();
    }

    private static void awaitReplicaInSync() {
        try (AdminConnection onPrimary = AdminConnection.to(primary.uri(""));
                AdminConnection onReplica = AdminConnection.to(replica.uri(""))) {
            await().atMost(SETUP_WAIT).until(() -> offset(onPrimary) == offset(onReplica));
        }
    }

    private static long offset(AdminConnection admin) {
        String replication = admin.commands().info("replication");
        if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
            return -1;
        }
        Matcher matcher = OFFSET.matcher(replication);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private static boolean sentinelWatchesHealthyReplica() {
        List<Map<String, String>> replicas = sentinelConnection.sync().replicas(PRIMARY_NAME);
        return replicas.size() == 1 && "slave".equals(replicas.get(0).get("flags"))
                && "ok".equals(replicas.get(0).get("master-link-status"));
    }
}

package io.github.listenerdedup.it.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.CapturedLogs;
import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimResult.Status;
import io.github.listenerdedup.store.redis.RedisClaimStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The claim store contract on a Redis Cluster of three primaries that the test starts itself, through
 * {@link RedisClaimStore#connectCluster(String...)}; also where the keys land, and what the store refuses or warns
 * about at start-up.
 */
class RedisClusterClaimStoreIT extends RedisClaimStoreContract {

    private static final int PRIMARIES = 3;

    private static RedisTestCluster cluster;
    private static RedisClaimStore store;
    private static RedisClusterClient adminClient;
    private static StatefulRedisClusterConnection<String, String> admin;

    private final String group = "cluster-" + UUID.randomUUID();

    RedisClusterClaimStoreIT() {
        super(() -> store, RedisClusterClaimStoreIT::redis);
    }

    @BeforeAll
    static void startCluster() {
        cluster = RedisTestCluster.start(PRIMARIES);
        store = RedisClaimStore.connectCluster(cluster.seedUris("timeout=2s"));
        adminClient = RedisClusterClient.create(cluster.nodes().get(0).uri(""));
        admin = adminClient.connect(StringCodec.UTF8);
    }

    @AfterAll
    static void stopCluster() {
        store.close();
        admin.close();
        adminClient.shutdown();
        cluster.close();
    }

    @Override
    protected ClaimKey key(String eventId) {
        return new ClaimKey("dedup", group, eventId);
    }

    @Test
    void shouldKeepEachClaimOnThePrimaryOfItsSlotWhenIdsSpreadOverEverySlot() {
        List<ClaimKey> keys = IntStream.range(0, 30).mapToObj(i -> key("E" + i)).toList();
        Map<String, Integer> keysPerNode = new HashMap<>();

        for (ClaimKey key : keys) {
            assertThat(store.claim(key, first, null, LEASE).status()).isEqualTo(Status.ACQUIRED);
            RedisClusterNode owner = ownerOf(key);
            long onOwner = admin.getConnection(owner.getNodeId()).sync().exists(key.render());
            assertThat(onOwner).as("%s on the primary of slot %d", key, SlotHash.getSlot(key.render())).isOne();
            keysPerNode.merge(owner.getNodeId(), 1, Integer::sum);
        }

        assertThat(keysPerNode).as("claims per primary").hasSize(PRIMARIES);
    }

    @Test
    void shouldClaimThroughCallersClusterClientAndLeaveItsConnectionOpen() {
        StatefulRedisClusterConnection<String, String> connection = adminClient.connect(StringCodec.UTF8);
        try (RedisClaimStore onClient = RedisClaimStore.connectCluster(adminClient)) {
            RedisClaimStore onConnection = new RedisClaimStore(connection);
            ClaimKey key = key("E1");

            assertThat(onClient.claim(key, first, null, LEASE).status()).isEqualTo(Status.ACQUIRED);
            assertThat(onConnection.claim(key, second, null, LEASE).owner()).isEqualTo(first.value());
            onConnection.close();
            assertThat(connection.isOpen()).isTrue();
        } finally {
            connection.close();
        }
    }

    @Test
    void shouldRefuseStandaloneStoreWhenPointedAtClusterNode() {
        String node = cluster.nodes().get(1).uri("timeout=2s");

        assertThatThrownBy(() -> RedisClaimStore.connect(node)).isInstanceOf(IllegalStateException.class)
                .hasMessage("Redis at " + node + " is a node of Redis Cluster, which answers MOVED for keys of "
                        + "other nodes; connect with RedisClaimStore.connectCluster(...) instead");
    }

    @Test
    void shouldRefuseStandaloneStoreWhenRespTwoConnectionReadsClusterModeFromInfo() {
        RedisClient client = respTwoClient(cluster.nodes().get(1).uri("timeout=2s"));
        try {
            assertThatThrownBy(() -> RedisClaimStore.connect(client)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is a node of Redis Cluster");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void shouldFailClaimWithAdviceWhenStandaloneClientCouldNotTellItMetAClusterNode() {
        RedisServerProcess node = cluster.nodes().get(0);
        try (AdminConnection admin = AdminConnection.to(node.uri(""))) {
            admin.aclSetUser("dedup-resp2", "on", ">secret", "~dedup:*", "-@all", "+evalsha", "+eval");
        }
        ClaimKey elsewhere = IntStream.range(0, 100).mapToObj(i -> key("E" + i))
                .filter(key -> ownerOf(key).getUri().getPort() != node.port()).findFirst().orElseThrow();
        RedisClient client = respTwoClient("redis://dedup-resp2:secret@127.0.0.1:" + node.port() + "?timeout=2s");
        try (RedisClaimStore standalone = RedisClaimStore.connect(client)) {
            assertThatThrownBy(() -> standalone.claim(elsewhere, first, null, LEASE))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Redis answered MOVED ")
                    .hasMessageEndingWith(" to claim " + elsewhere.render() + ": a standalone client is pointed at "
                            + "Redis Cluster; connect with RedisClaimStore.connectCluster(...)");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void shouldRefuseClusterStoreWhenSeedIsStandaloneServer() {
        try (RedisServerProcess standalone = RedisServerProcess.start()) {
            assertThatThrownBy(() -> RedisClaimStore.connectCluster(standalone.uri("timeout=2s")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Redis at [" + standalone.uri("timeout=2s") + "] refused the connection: ")
                    .hasMessageContaining("cluster support disabled");
        }
    }

    @Test
    void shouldWarnOnceForThePrimaryThatMayEvictClaims() {
        RedisServerProcess evicting = cluster.nodes().get(2);
        try (AdminConnection node = AdminConnection.to(evicting.uri(""))) {
            node.commands().configSet("maxmemory-policy", "volatile-lru");
            String[] seeds = cluster.seedUris("timeout=2s");

            String logs = CapturedLogs.during("io.github.listenerdedup.store.redis",
                    () -> RedisClaimStore.connectCluster(seeds).close());

            node.commands().configSet("maxmemory-policy", "noeviction");
            assertThat(logs.lines().filter(line -> line.startsWith("WARN"))).singleElement().asString()
                    .contains("Redis at redis://127.0.0.1:" + evicting.port())
                    .contains("has maxmemory-policy volatile-lru: when it reaches maxmemory it evicts keys, claims "
                            + "among them (each has an expiry), and an evicted claim lets a duplicate run; set "
                            + "maxmemory-policy noeviction");
        }
    }

    @Test
    void shouldFindSameOwnerWhenAnotherStoreLearnsClusterFromOneSeed() {
        try (RedisClaimStore other = RedisClaimStore.connectCluster(cluster.nodes().get(2).uri("timeout=2s"))) {
            List<ClaimKey> keys = IntStream.range(0, 10).mapToObj(i -> key("E" + i)).toList();

            keys.forEach(key -> store.claim(key, first, null, LEASE));

            assertThat(keys).allSatisfy(key -> assertThat(other.claim(key, second, null, LEASE))
                    .extracting(ClaimResult::status, ClaimResult::owner)
                    .containsExactly(Status.IN_PROGRESS, first.value()));
        }
    }

    private static RedisClusterNode ownerOf(ClaimKey key) {
        return admin.getPartitions().getPartitionBySlot(SlotHash.getSlot(key.render()));
    }

    private static RedisClient respTwoClient(String uri) {
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
        return client;
    }

    private static RedisAdvancedClusterCommands<String, String> redis() {
        return admin.sync();
    }
}

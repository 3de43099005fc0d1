package io.github.listenerdedup.store.redis;

import io.lettuce.core.ConnectionState;
import io.lettuce.core.RedisException;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisServerCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.ConnectionIntent;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a store checks about its servers when it starts. A standalone connection to a node of Redis Cluster (which
 * would answer {@code MOVED} for most keys) or to a Sentinel is refused. A replica earns a WARN, since it refuses
 * every write. A {@code maxmemory-policy} other than {@code noeviction} earns a WARN: every claim has an expiry,
 * so even the {@code volatile-*} policies evict claims, and an evicted claim lets a duplicate run.
 *
 * <p>The mode and role come from the connection's {@code HELLO} handshake, or from {@code INFO server} when the
 * connection speaks RESP2; the policy from {@code CONFIG GET}. A server that refuses these commands to the store's
 * user (an ACL without them, renamed commands) is not checked for them: that is logged at DEBUG and nothing else.
 */
final class ServerChecks {

    private static final Logger log = LoggerFactory.getLogger(ServerChecks.class);

    private static final String POLICY = "maxmemory-policy";
    private static final String SAFE_POLICY = "noeviction";

    private ServerChecks() {
    }

    /**
     * Checks a standalone connection, or one to the primary Sentinel named.
     *
     * @param connection the connection
     * @param target     where it goes, as messages name it
     * @throws IllegalStateException when the server is a cluster node or a Sentinel
     */
    static void checkStandalone(StatefulRedisConnection<String, String> connection, String target) {
        ConnectionState handshake = handshakeOf(connection);
        String mode = handshake == null || handshake.getMode() == null
                ? infoField(connection.sync(), "redis_mode", target)
                : handshake.getMode();
        if ("cluster".equals(mode)) {
            throw new IllegalStateException("Redis at " + target + " is a node of Redis Cluster, which answers MOVED "
                    + "for keys of other nodes; connect with RedisClaimStore.connectCluster(...) instead");
        }
        if ("sentinel".equals(mode)) {
            throw new IllegalStateException("Redis at " + target + " is a Sentinel, not a data node; connect with a "
                    + "redis-sentinel://host:port#primaryName URI instead");
        }
        String role = handshake == null ? null : handshake.getRole();
        if ("replica".equals(role) || "slave".equals(role)) {
            log.warn("Redis at {} is a replica: it refuses every write (READONLY), so every claim fails as "
                    + "unavailable until it is promoted; connect to the primary or through Sentinel", target);
        }
        checkEvictionPolicy(connection.sync(), target);
    }

    /**
     * Checks each primary of a cluster.
     *
     * @param connection the cluster connection
     * @param target     the cluster, as messages name it
     */
    static void checkCluster(StatefulRedisClusterConnection<String, String> connection, String target) {
        for (RedisClusterNode node : connection.getPartitions()) {
            if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                continue;
            }
            String nodeTarget = node.getUri() + " (of " + target + ")";
            try {
                checkEvictionPolicy(connection.getConnection(node.getNodeId(), ConnectionIntent.WRITE).sync(),
                        nodeTarget);
            } catch (RedisException e) {
                log.debug("Could not reach {} to check its {}: {}", nodeTarget, POLICY, e.getMessage());
            }
        }
    }

    /**
     * Warns unless the server never evicts keys.
     *
     * @param commands the server's commands
     * @param target   the server, as messages name it
     */
    static void checkEvictionPolicy(RedisServerCommands<String, String> commands, String target) {
        String policy;
        try {
            policy = commands.configGet(POLICY).get(POLICY);
        } catch (RedisException e) {
            log.debug("Not checking the {} of Redis at {}: CONFIG GET failed: {}", POLICY, target, e.getMessage());
            return;
        }
        if (policy != null && !SAFE_POLICY.equals(policy.toLowerCase(Locale.ROOT))) {
            log.warn("Redis at {} has {} {}: when it reaches maxmemory it evicts keys, claims among them (each has "
                    + "an expiry), and an evicted claim lets a duplicate run; set {} {}", target, POLICY, policy,
                    POLICY, SAFE_POLICY);
        }
    }

    /** What the server said of itself in the {@code HELLO} handshake; its mode and role are there on RESP3. */
    private static ConnectionState handshakeOf(StatefulRedisConnection<String, String> connection) {
        return connection instanceof StatefulRedisConnectionImpl<String, String> impl
                ? impl.getConnectionState()
                : null;
    }

    private static String infoField(RedisServerCommands<String, String> commands, String field, String target) {
        try {
            return parseInfo(commands.info("server")).get(field);
        } catch (RedisException e) {
            log.debug("Not checking the mode of Redis at {}: INFO failed: {}", target, e.getMessage());
            return null;
        }
    }

    private static Map<String, String> parseInfo(String info) {
        return info.lines().filter(line -> line.indexOf(':') > 0)
                .map(line -> line.split(":", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1].strip(), (a, b) -> a));
    }
}

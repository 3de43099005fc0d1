package io.github.listenerdedup.store.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Creates the Lettuce clients a store owns and opens connections for it, turning a failure to connect into the
 * store's exceptions.
 *
 * <p>A client the store creates itself rejects commands while it is disconnected instead of buffering them: a call
 * during an outage fails at once (the retries and the failure policy then decide), and a command buffered during
 * an outage never runs later on behalf of a delivery that has given up on it. It tries to reconnect at least every
 * {@value #LONGEST_RECONNECT_DELAY_MILLIS} ms (Lettuce's default waits up to 30 s), so a store that is back is
 * used again within a second. A cluster client also refreshes its view of the slots when a node answers
 * {@code MOVED} or {@code ASK} or stays unreachable.
 */
final class RedisConnections {

    /** The longest pause between two attempts to reconnect. */
    static final long LONGEST_RECONNECT_DELAY_MILLIS = 1_000;

    private RedisConnections() {
    }

    /**
     * Gives a URI the store's default timeout when it names none, in a copy that keeps its Sentinels (which
     * Lettuce's own copy leaves out).
     *
     * @param uri     the URI
     * @param timeout the timeout to use instead of Lettuce's default of 60 seconds
     * @return the URI with a timeout of its own
     */
    static RedisURI withTimeout(RedisURI uri, Duration timeout) {
        if (!RedisURI.DEFAULT_TIMEOUT_DURATION.equals(uri.getTimeout())) {
            return uri;
        }
        RedisURI.Builder copy = RedisURI.builder(uri).withTimeout(timeout);
        uri.getSentinels().forEach(copy::withSentinel);
        if (uri.getSentinelMasterId() != null) {
            copy.withSentinelMasterId(uri.getSentinelMasterId());
        }
        return copy.build();
    }

    /**
     * Creates a client for a standalone server or for the primary that Sentinel names.
     *
     * @param uri a {@code redis://}, {@code rediss://} or {@code redis-sentinel://} URI
     * @return the client
     */
    static RedisClient standaloneClient(RedisURI uri) {
        RedisClient client = RedisClient.create(resources(), uri);
        client.setOptions(ClientOptions.builder().disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS).build());
        return client;
    }

    /**
     * Creates a client for Redis Cluster.
     *
     * @param seeds the nodes to learn the cluster's topology from
     * @return the client
     */
    static RedisClusterClient clusterClient(List<RedisURI> seeds) {
        RedisClusterClient client = RedisClusterClient.create(resources(), seeds);
        client.setOptions(ClusterClientOptions.builder()
                .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .build())
                .build());
        return client;
    }

    /**
     * Opens a connection.
     *
     * @param client the client
     * @param target where the connection goes, as messages name it
     * @return the connection
     */
    static StatefulRedisConnection<String, String> open(RedisClient client, String target) {
        return open(client, c -> c.connect(StringCodec.UTF8), target);
    }

    /**
     * Opens a cluster connection.
     *
     * @param client the client
     * @param target where the connection goes, as messages name it
     * @return the connection
     */
    static StatefulRedisClusterConnection<String, String> open(RedisClusterClient client, String target) {
        return open(client, c -> c.connect(StringCodec.UTF8), target);
    }

    /**
     * Shuts down a client the store created, and the resources it created for it.
     *
     * @param client the client
     */
    static void shutdown(AbstractRedisClient client) {
        client.shutdown();
        client.getResources().shutdown();
    }

    /**
     * Opens a connection of a client the store owns, and shuts the client down when that fails.
     *
     * @param client  the client
     * @param connect opens the connection
     * @param target  where the connection goes, as messages name it
     * @return the connection
     */
    static <C extends AbstractRedisClient, T> T openOwned(C client, Function<C, T> connect, String target) {
        try {
            return open(client, connect, target);
        } catch (RuntimeException e) {
            shutdown(client);
            throw e;
        }
    }

    private static ClientResources resources() {
        return DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ZERO, Duration.ofMillis(LONGEST_RECONNECT_DELAY_MILLIS), 2,
                        TimeUnit.MILLISECONDS))
                .build();
    }

    private static <C extends AbstractRedisClient, T> T open(C client, Function<C, T> connect, String target) {
        try {
            return connect.apply(client);
        } catch (RuntimeException e) {
            throw RedisFailures.translateConnect(target, e);
        }
    }
}

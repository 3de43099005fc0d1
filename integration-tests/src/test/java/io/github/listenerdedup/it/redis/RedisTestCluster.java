package io.github.listenerdedup.it.redis;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis Cluster of primaries without replicas, each a {@link RedisServerProcess} of the test's own on loopback,
 * joined by {@code redis-cli --cluster create}, with the slots split evenly. Start it once per test class.
 */
final class RedisTestCluster implements AutoCloseable {

    private static final String CLI = RedisServerProcess.env("DEDUP_TEST_REDIS_CLI", "redis-cli");
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServerProcess> nodes;

    private RedisTestCluster(List<RedisServerProcess> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Starts the nodes and joins them.
     *
     * @param primaries how many primaries, at least three
     * @return the cluster, every slot served
     */
    static RedisTestCluster start(int primaries) {
        List<RedisServerProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < primaries; i++) {
                nodes.add(RedisServerProcess.startClusterNode());
            }
            RedisTestCluster cluster = new RedisTestCluster(nodes);
            cluster.create();
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(RedisServerProcess::close);
            throw e;
        }
    }

    /** @return the nodes, in the order the slots were handed out */
    List<RedisServerProcess> nodes() {
        return nodes;
    }

    /**
     * The URIs of every node, as seeds for a cluster client.
     *
     * @param query a query string such as {@code timeout=2s}, or empty
     * @return the URIs
     */
    String[] seedUris(String query) {
        return nodes.stream().map(node -> node.uri(query)).toArray(String[]::new);
    }

    @Override
    public void close() {
        nodes.forEach(RedisServerProcess::close);
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of(CLI, "--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.add("--cluster-yes");
        String output = ExternalCommand.run(command, "install Redis 7's command line client or point "
                + "DEDUP_TEST_REDIS_CLI at it");
        for (RedisServerProcess node : nodes) {
            try (AdminConnection admin = AdminConnection.to(node.uri(""))) {
                await().atMost(FORM_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> isFormed(admin));
            } catch (RuntimeException e) {
                throw new IllegalStateException("The cluster did not form; redis-cli said: " + output, e);
            }
        }
    }

    private boolean isFormed(AdminConnection admin) {
        String info = admin.commands().clusterInfo();
        return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + nodes.size())
                && info.contains("cluster_slots_ok:16384");
    }
}

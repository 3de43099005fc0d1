package io.github.listenerdedup.it.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;

/** A client and one connection of a test's own, for commands the store never sends; closing shuts both. */
final class AdminConnection implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private AdminConnection(RedisClient client) {
        this.client = client;
        this.connection = client.connect(StringCodec.UTF8);
    }

    /**
     * Connects.
     *
     * @param uri where Redis runs
     * @return the open connection
     */
    static AdminConnection to(String uri) {
        RedisClient client = RedisClient.create(uri);
        try {
            return new AdminConnection(client);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /** @return the synchronous commands */
    RedisCommands<String, String> commands() {
        return connection.sync();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}

package io.github.listenerdedup.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's own figures, read on a connection of its own: {@code MEMORY USAGE} of a key, {@code used_memory}
 * and the CPU time the server process has used. Closing it shuts its client.
 */
final class RedisAdmin implements AutoCloseable {

    private static final Pattern USED_MEMORY = Pattern.compile("(?m)^used_memory:(\\d+)\\r?$");
    private static final Pattern USED_CPU = Pattern.compile("(?m)^used_cpu_(?:sys|user):([0-9.]+)\\r?$");
    private static final int UNLINK_BATCH = 1000;

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private RedisAdmin(RedisClient client) {
        this.client = client;
        this.connection = client.connect(StringCodec.UTF8);
    }

    /**
     * Connects.
     *
     * @param uri where Redis runs
     * @return the open connection
     */
    static RedisAdmin connect(String uri) {
        RedisClient client = RedisClient.create(uri);
        try {
            return new RedisAdmin(client);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /** @return the synchronous commands, for writes the store never makes */
    RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /**
     * Reports what {@code MEMORY USAGE} counts for a key: the key, its value and their allocations.
     *
     * @param key the key
     * @return the bytes reported
     * @throws IllegalStateException when the key does not exist
     */
    long usage(String key) {
        Long bytes = commands().memoryUsage(key);
        if (bytes == null) {
            throw new IllegalStateException("No key " + key + " to measure");
        }
        return bytes;
    }

    /** @return {@code used_memory}, every byte the server's allocator has handed out */
    long usedMemory() {
        Matcher matcher = USED_MEMORY.matcher(commands().info("memory"));
        if (!matcher.find()) {
            throw new IllegalStateException("INFO memory has no used_memory line");
        }
        return Long.parseLong(matcher.group(1));
    }

    /** @return the CPU time the server process has used since it started, user and system, in nanoseconds */
    long cpuNanos() {
        Matcher matcher = USED_CPU.matcher(commands().info("cpu"));
        double seconds = 0;
        while (matcher.find()) {
            seconds += Double.parseDouble(matcher.group(1));
        }
        return Math.round(seconds * 1e9);
    }

    /**
     * Deletes keys, a batch per command.
     *
     * @param keys the keys
     */
    void unlink(List<String> keys) {
        for (int from = 0; from < keys.size(); from += UNLINK_BATCH) {
            List<String> batch = keys.subList(from, Math.min(keys.size(), from + UNLINK_BATCH));
            commands().unlink(batch.toArray(String[]::new));
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}

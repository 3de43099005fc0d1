package io.github.listenerdedup.it;

import io.github.listenerdedup.store.redis.RedisClaimStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Where the integration tests find their services, overridable by environment variables, and a check that fails
 * with instructions when one does not answer.
 */
public final class TestServices {

    /** Redis host, from {@code DEDUP_TEST_REDIS_HOST}, default {@code 127.0.0.1}. */
    public static final String REDIS_HOST = env("DEDUP_TEST_REDIS_HOST", "127.0.0.1");
    /** Redis port, from {@code DEDUP_TEST_REDIS_PORT}, default 6379. */
    public static final int REDIS_PORT = Integer.parseInt(env("DEDUP_TEST_REDIS_PORT", "6379"));
    /** RabbitMQ host, from {@code DEDUP_TEST_RABBIT_HOST}, default {@code 127.0.0.1}. */
    public static final String RABBIT_HOST = env("DEDUP_TEST_RABBIT_HOST", "127.0.0.1");
    /** RabbitMQ AMQP port, from {@code DEDUP_TEST_RABBIT_PORT}, default 5672. */
    public static final int RABBIT_PORT = Integer.parseInt(env("DEDUP_TEST_RABBIT_PORT", "5672"));
    /** RabbitMQ user, from {@code DEDUP_TEST_RABBIT_USER}, default {@code guest}. */
    public static final String RABBIT_USER = env("DEDUP_TEST_RABBIT_USER", "guest");
    /** RabbitMQ password, from {@code DEDUP_TEST_RABBIT_PASSWORD}, default {@code guest}. */
    public static final String RABBIT_PASSWORD = env("DEDUP_TEST_RABBIT_PASSWORD", "guest");

    private static final String HOW_TO_START = "start the services with 'docker compose -f docker/compose.yaml up -d' "
            + "or install them locally (see README.md, Prerequisites)";

    private static RedisClaimStore sharedStore;

    private TestServices() {
    }

    /**
     * One Redis claim store on the shared test server for the whole test run, closed when the JVM exits. Tests
     * keep apart by using groups of their own.
     *
     * @return the store
     */
    public static synchronized RedisClaimStore sharedRedisStore() {
        if (sharedStore == null) {
            sharedStore = RedisClaimStore.connect(redisUri());
            Runtime.getRuntime().addShutdownHook(new Thread(sharedStore::close, "close-shared-redis-store"));
        }
        return sharedStore;
    }

    /** @return the Redis URI of the shared test server */
    public static String redisUri() {
        requireAnswering("Redis", REDIS_HOST, REDIS_PORT, "DEDUP_TEST_REDIS_HOST/DEDUP_TEST_REDIS_PORT");
        return "redis://" + REDIS_HOST + ":" + REDIS_PORT;
    }

    /** Fails with instructions unless RabbitMQ answers. */
    public static void requireRabbit() {
        requireAnswering("RabbitMQ", RABBIT_HOST, RABBIT_PORT, "DEDUP_TEST_RABBIT_HOST/DEDUP_TEST_RABBIT_PORT");
    }

    private static void requireAnswering(String service, String host, int port, String variables) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
        } catch (IOException e) {
            throw new IllegalStateException(service + " does not answer on " + host + ":" + port + " (" + e.getMessage()
                    + "): " + HOW_TO_START + ", or point " + variables + " at a running one", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

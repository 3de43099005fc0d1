package io.github.listenerdedup.bench;

import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.store.memory.InMemoryClaimStore;
import io.github.listenerdedup.store.redis.RedisClaimStore;

/**
 * The stores a benchmark runs on, each opened as an application would open it.
 */
public enum BenchedStore {

    /** {@link InMemoryClaimStore}: the cost of the claim protocol inside one JVM. */
    IN_MEMORY {
        @Override
        ClaimStore open(String redisUri) {
            return new InMemoryClaimStore();
        }
    },

    /** {@link RedisClaimStore} on one Lettuce connection shared by every benchmark thread. */
    REDIS {
        @Override
        ClaimStore open(String redisUri) {
            return RedisClaimStore.connect(redisUri);
        }
    };

    /** The system property that names the Redis server, for example {@code redis://127.0.0.1:6379}. */
    public static final String REDIS_URI_PROPERTY = "bench.redis.uri";

    /** The server used when the property is not set. */
    public static final String DEFAULT_REDIS_URI = "redis://127.0.0.1:6379";

    /**
     * Opens a store of this kind.
     *
     * @param redisUri where Redis runs; unused by the in-memory store
     * @return the open store; close it when it is {@link AutoCloseable}
     */
    abstract ClaimStore open(String redisUri);

    /** @return the Redis URI named by {@value #REDIS_URI_PROPERTY}, or {@value #DEFAULT_REDIS_URI} */
    static String redisUri() {
        return System.getProperty(REDIS_URI_PROPERTY, DEFAULT_REDIS_URI);
    }
}

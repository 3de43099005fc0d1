package io.github.listenerdedup.demo;

import io.github.listenerdedup.core.StoreUnavailableException;
import io.github.listenerdedup.store.redis.RedisClaimStore;
import io.lettuce.core.RedisURI;
import java.time.Duration;

/**
 * Opens the demo's claim store on a running Redis, with a command timeout of one second unless the URI sets one.
 */
final class RedisStoreOpener {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    private RedisStoreOpener() {
    }

    static DemoStore open(String redisUri) throws DemoSetupException {
        RedisURI uri = RedisURI.create(redisUri);
        if (!redisUri.contains("timeout=")) {
            uri.setTimeout(DEFAULT_TIMEOUT);
        }
        RedisClaimStore store;
        try {
            store = RedisClaimStore.connect(uri);
        } catch (StoreUnavailableException e) {
            throw new DemoSetupException("Redis does not answer at " + redisUri + " (" + e.getMessage() + "): start "
                    + "it with 'docker compose -f docker/compose.yaml up -d redis', or give --redis-uri");
        }
        return DemoStore.shared(store, "Redis at " + redisUri, store);
    }
}

package io.github.listenerdedup.it.redis;

import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.store.ClaimStoreContract;
import io.lettuce.core.api.sync.RedisKeyCommands;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The claim store contract for a Redis deployment: short times to live are waited out and expiries read past the
 * store, through a connection of the test's own. Completion times follow the Redis server's clock, which may stray
 * from the test's by up to a second.
 */
abstract class RedisClaimStoreContract extends ClaimStoreContract {

    private static final Duration SHORT_TTL = Duration.ofMillis(200);
    private static final Duration EXPIRY_WAIT = Duration.ofSeconds(10);
    private static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(1);

    private final Supplier<ClaimStore> store;
    private final Supplier<RedisKeyCommands<String, String>> keyCommands;

    /**
     * Creates the suite for one deployment.
     *
     * @param store       the store under test, opened once per class
     * @param keyCommands commands on the keys the store writes, on a connection of the test's own
     */
    protected RedisClaimStoreContract(Supplier<ClaimStore> store,
            Supplier<RedisKeyCommands<String, String>> keyCommands) {
        this.store = store;
        this.keyCommands = keyCommands;
    }

    @Override
    protected ClaimStore store() {
        return store.get();
    }

    @Override
    protected Duration shortTtl() {
        return SHORT_TTL;
    }

    @Override
    protected void letShortTtlRunOut(ClaimKey key) {
        await().atMost(EXPIRY_WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> keyCommands.get().exists(key.render()) == 0);
    }

    @Override
    protected long storedTimeLeftMillis(ClaimKey key) {
        return keyCommands.get().pttl(key.render());
    }

    @Override
    protected Duration clockTolerance() {
        return CLOCK_TOLERANCE;
    }
}

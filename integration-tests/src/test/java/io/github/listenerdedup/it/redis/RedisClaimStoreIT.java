package io.github.listenerdedup.it.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.it.TestServices;
import io.github.listenerdedup.store.redis.RedisClaimStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The claim store contract against the shared Redis, in a group of its own per test; every key a test names is
 * deleted after it. Also checks what the store writes, read past its API.
 */
class RedisClaimStoreIT extends RedisClaimStoreContract {


    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisClaimStore store;

    private final String group = "contract-" + UUID.randomUUID();
    private final Set<String> keysNamed = ConcurrentHashMap.newKeySet();

    RedisClaimStoreIT() {
        super(() -> store, RedisClaimStoreIT::redis);
    }

    @BeforeAll
    static void connect() {
        client = RedisClient.create(TestServices.redisUri());
        connection = client.connect(StringCodec.UTF8);
        connection.setTimeout(Duration.ofSeconds(5));
        store = new RedisClaimStore(connection);
    }

    @AfterAll
    static void disconnect() {
        store.close();
        connection.close();
        client.shutdown();
    }

    @AfterEach
    void deleteKeys() {
        if (!keysNamed.isEmpty()) {
            redis().del(keysNamed.toArray(String[]::new));
        }
    }

    @Override
    protected ClaimKey key(String eventId) {
        ClaimKey key = new ClaimKey("dedup-it", group, eventId);
        keysNamed.add(key.render());
        return key;
    }

    @Test
    void shouldWriteShortVersionedValuesWhenClaimMovesThroughItsStates() {
        ClaimKey key = key("E1");
        OwnerToken token = OwnerToken.random();

        store.claim(key, token, null, LEASE);
        String inProgress = redis().get(key.render());
        store.release(key, token, RETENTION);
        String released = redis().get(key.render());
        store.claim(key, token, "fp", LEASE);
        store.complete(key, token, RETENTION);
        String completed = redis().get(key.render());

        assertThat(inProgress).isEqualTo("1|I|" + token.value() + "|1|");
        assertThat(released).isEqualTo("1|R|" + token.value() + "|1|");
        assertThat(completed).matches("1\\|C\\|" + token.value() + "\\|2\\|\\d{13}\\|fp");
    }

    @Test
    void shouldThrowIllegalStateWhenKeyHoldsAnotherFormatOrType() {
        ClaimKey newer = key("E-newer");
        redis().set(newer.render(), "2|C|someone|1|1714558530123", SetArgs.Builder.px(RETENTION.toMillis()));
        ClaimKey hash = key("E-hash");
        redis().hset(hash.render(), "state", "COMPLETED");
        redis().pexpire(hash.render(), RETENTION.toMillis());

        assertThatThrownBy(() -> store.claim(newer, OwnerToken.random(), null, LEASE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(newer.render())
                .hasMessageContaining("not a claim of format 1");
        assertThatThrownBy(() -> store.inspect(newer)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was it written by a newer release or by another program?");
        assertThatThrownBy(() -> store.claim(hash, OwnerToken.random(), null, LEASE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("WRONGTYPE");
        assertThat(redis().get(newer.render())).startsWith("2|C|");
    }

    @Test
    void shouldLeaveConnectionOpenWhenStoreOnItIsClosed() {
        RedisClaimStore other = new RedisClaimStore(connection);

        other.close();

        assertThat(connection.isOpen()).isTrue();
        ClaimResult result = store.claim(key("E1"), OwnerToken.random(), null, LEASE);
        assertThat(result.status()).isEqualTo(ClaimResult.Status.ACQUIRED);
    }

    private static RedisCommands<String, String> redis() {
        return connection.sync();
    }
}

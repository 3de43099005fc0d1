package io.github.listenerdedup.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimRequest;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.core.StoreUnavailableException;
import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisClaimStoreBatchTest {

    private static final OwnerToken TOKEN = new OwnerToken("AAAAAAAAAAAAAAAAAAAAAA");
    private static final OwnerToken OTHER = new OwnerToken("BBBBBBBBBBBBBBBBBBBBBB");

    private final ScriptedRedis redis = new ScriptedRedis();
    private final RedisClaimStore store = new RedisClaimStore(redis, () -> { });

    @Test
    void shouldSendOneClaimCallPerRequestWithItsOwnTokenAndFingerprint() {
        redis.answer(0, "1|I|" + OTHER.value() + "|1|", 20_000);

        List<ClaimResult> results = store.claimAll(List.of(new ClaimRequest(key("E1"), TOKEN, "fp"),
                new ClaimRequest(key("E2"), OTHER, null)), Duration.ofSeconds(30));

        assertThat(redis.calls()).containsExactly(
                new ScriptedRedis.Call(ClaimScript.CLAIM, "dedup:billing:E1", List.of(TOKEN.value(), "30000", "|fp")),
                new ScriptedRedis.Call(ClaimScript.CLAIM, "dedup:billing:E2", List.of(OTHER.value(), "30000", "")));
        assertThat(results).containsOnly(ClaimResult.inProgress(OTHER.value(), Duration.ofSeconds(20)));
    }

    @Test
    void shouldThrowStoreUnavailableNamingFirstKeyWhenBatchTimesOut() {
        RedisCommandTimeoutException timeout = new RedisCommandTimeoutException("Command timed out");
        redis.fail(timeout);

        assertThatThrownBy(() -> store.claimAll(List.of(new ClaimRequest(key("E1"), TOKEN, null),
                new ClaimRequest(key("E2"), OTHER, null)), Duration.ofSeconds(30)))
                .isInstanceOf(StoreUnavailableException.class).hasCause(timeout)
                .hasMessage("Redis could not claim dedup:billing:E1: Command timed out");
    }

    @Test
    void shouldSendNothingWhenBatchIsEmpty() {
        assertThat(store.claimAll(List.of(), Duration.ofSeconds(30))).isEmpty();
        assertThat(redis.calls()).isEmpty();
    }

    private static ClaimKey key(String eventId) {
        return new ClaimKey("dedup", "billing", eventId);
    }
}

package io.github.listenerdedup.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.core.StoreUnavailableException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RedisClaimStoreTest {

    private static final ClaimKey KEY = new ClaimKey("dedup", "billing", "E1");
    private static final OwnerToken TOKEN = new OwnerToken("AAAAAAAAAAAAAAAAAAAAAA");

    private final ScriptedRedis redis = new ScriptedRedis();
    private final AtomicInteger closes = new AtomicInteger();
    private final RedisClaimStore store = new RedisClaimStore(redis, closes::incrementAndGet);

    @Test
    void shouldSendKeyTokenLeaseAndFingerprintFieldWhenClaiming() {
        redis.answer(1, "1|I|" + TOKEN.value() + "|1||sha|x", 30_000);

        ClaimResult result = store.claim(KEY, TOKEN, "sha|x", Duration.ofSeconds(30));

        assertThat(redis.lastCall()).isEqualTo(new ScriptedRedis.Call(ClaimScript.CLAIM, "dedup:billing:E1",
                List.of(TOKEN.value(), "30000", "|sha|x")));
        assertThat(result).isEqualTo(ClaimResult.acquired(TOKEN.value(), 1, Duration.ofSeconds(30)));
    }

    @Test
    void shouldSendEmptyFingerprintFieldWhenNoFingerprintIsGiven() {
        redis.answer(1, "1|I|" + TOKEN.value() + "|1|", 30_000);

        store.claim(KEY, TOKEN, null, Duration.ofSeconds(30));

        assertThat(redis.lastCall().args()).containsExactly(TOKEN.value(), "30000", "");
    }

    @Test
    void shouldRoundLeaseUpToWholeMillisecondsWhenItHasNanoseconds() {
        redis.answer(1, "", 0);

        store.renew(KEY, TOKEN, Duration.ofNanos(1_000_001));
        store.renew(KEY, TOKEN, Duration.ofNanos(1));

        assertThat(redis.calls()).extracting(call -> call.args().get(1)).containsExactly("2", "1");
    }

    @Test
    void shouldRejectLeaseOrRetentionWhenNotPositive() {
        assertThatThrownBy(() -> store.claim(KEY, TOKEN, null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("lease must be positive, but was PT0S");
        assertThatThrownBy(() -> store.complete(KEY, TOKEN, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retention must be positive, but was PT-1S");
        assertThat(redis.calls()).isEmpty();
    }

    @Test
    void shouldRejectIdWhenItHoldsAnUnpairedSurrogate() {
        ClaimKey key = new ClaimKey("dedup", "billing", "E\ud800");

        assertThatThrownBy(() -> store.claim(key, TOKEN, null, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key must be well-formed UTF-16 to be stored in Redis, but holds an unpaired surrogate "
                        + "U+D800 at index 15");
        assertThat(redis.calls()).isEmpty();
    }

    @Test
    void shouldAnswerInProgressOrCompletedWhenScriptFoundAnotherClaim() {
        redis.answer(0, "1|I|other|2|", 1_500);
        ClaimResult inProgress = store.claim(KEY, TOKEN, null, Duration.ofSeconds(30));
        redis.answer(0, "1|C|other|2|1714558530123|fp", 86_000);
        ClaimResult completed = store.claim(KEY, TOKEN, null, Duration.ofSeconds(30));

        assertThat(inProgress).isEqualTo(ClaimResult.inProgress("other", Duration.ofMillis(1_500)));
        assertThat(completed).isEqualTo(ClaimResult.completed("other", "fp", Duration.ofSeconds(86)));
    }

    @Test
    void shouldInspectSnapshotWhenKeyHoldsCompletedClaim() {
        redis.answer(1, "1|C|other|3|1714558530123", 5_000);

        ClaimSnapshot snapshot = store.inspect(KEY);

        assertThat(snapshot).isEqualTo(new ClaimSnapshot(ClaimState.COMPLETED, "other", 3, null,
                Instant.parse("2024-05-01T10:15:30.123Z"), Duration.ofSeconds(5)));
    }

    @Test
    void shouldInspectAbsentWhenScriptFindsNoKey() {
        redis.answer(0, "", -2);

        assertThat(store.inspect(KEY)).isEqualTo(ClaimSnapshot.ABSENT);
    }

    @Test
    void shouldThrowIllegalStateWhenKeyHoldsValueOfAnotherFormat() {
        redis.answer(1, "2|I|other|1|", 5_000);

        assertThatThrownBy(() -> store.inspect(KEY)).isInstanceOf(IllegalStateException.class)
                .hasMessage("dedup:billing:E1 holds a value this release cannot read (not a claim of format 1); "
                        + "was it written by a newer release or by another program?");
    }

    @Test
    void shouldThrowIllegalStateWhenScriptAnswersInAnotherShape() {
        ScriptExecutor odd = (script, key, args) -> List.of("OK");

        assertThatThrownBy(() -> new RedisClaimStore(odd, () -> { }).forget(KEY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The FORGET script on dedup:billing:E1 answered unexpected script reply [OK]");
    }

    @Test
    void shouldThrowStoreUnavailableWhenCommandTimesOut() {
        RedisCommandTimeoutException timeout = new RedisCommandTimeoutException("Command timed out after 1 second(s)");
        redis.fail(timeout);

        assertThatThrownBy(() -> store.complete(KEY, TOKEN, Duration.ofHours(1)))
                .isInstanceOf(StoreUnavailableException.class).hasCause(timeout)
                .hasMessage("Redis could not complete dedup:billing:E1: Command timed out after 1 second(s)");
    }

    @Test
    void shouldCloseOwnResourcesOnceWhenClosedTwice() {
        store.close();
        store.close();

        assertThat(closes).hasValue(1);
    }

    @Test
    void shouldRefuseClusterWithoutSeedsBeforeCreatingAClient() {
        assertThatThrownBy(() -> RedisClaimStore.connectCluster(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seeds must name at least one node of the cluster, but was empty");
    }

    @Test
    void shouldKeepTimeoutOfUriAndGiveDefaultToUriWithoutOne() {
        RedisURI named = RedisURI.create("redis://127.0.0.1:6379?timeout=250ms");
        RedisURI unnamed = RedisURI.create("redis-sentinel://:secret@127.0.0.1:26379,127.0.0.1:26380/2#claims");

        assertThat(RedisConnections.withTimeout(named, RedisClaimStore.DEFAULT_TIMEOUT).getTimeout())
                .isEqualTo(Duration.ofMillis(250));
        RedisURI timed = RedisConnections.withTimeout(unnamed, RedisClaimStore.DEFAULT_TIMEOUT);

        assertThat(timed).extracting(RedisURI::getTimeout, RedisURI::getSentinelMasterId, RedisURI::getDatabase)
                .containsExactly(RedisClaimStore.DEFAULT_TIMEOUT, "claims", 2);
        assertThat(timed.getSentinels()).extracting(RedisURI::getPort).containsExactly(26379, 26380);
        assertThat(timed.getCredentialsProvider().resolveCredentials().block().getPassword())
                .isEqualTo("secret".toCharArray());
    }
}

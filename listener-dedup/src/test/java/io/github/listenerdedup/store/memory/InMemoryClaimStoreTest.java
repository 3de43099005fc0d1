package io.github.listenerdedup.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.store.ClaimStoreContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryClaimStoreTest extends ClaimStoreContract {

    private static final Duration SHORT_TTL = Duration.ofMillis(200);

    private final AtomicLong nanoTime = new AtomicLong(-Duration.ofDays(1).toNanos());
    private final Clock clock = Clock.fixed(Instant.parse("2024-05-01T10:15:30.123456Z"), ZoneOffset.UTC);
    private final InMemoryClaimStore store = new InMemoryClaimStore(nanoTime::get, clock);

    @Override
    protected ClaimStore store() {
        return store;
    }

    @Override
    protected ClaimKey key(String eventId) {
        return new ClaimKey("dedup", "contract", eventId);
    }

    @Override
    protected Duration shortTtl() {
        return SHORT_TTL;
    }

    @Override
    protected void letShortTtlRunOut(ClaimKey key) {
        nanoTime.addAndGet(SHORT_TTL.toNanos());
    }

    @Override
    protected long storedTimeLeftMillis(ClaimKey key) {
        return store.inspect(key).state() == ClaimState.ABSENT
                ? -2 : store.inspect(key).timeLeft().toMillis();
    }

    @Override
    protected Clock completionClock() {
        return clock;
    }

    @Test
    void shouldHoldClaimWhenLessThanItsLeaseHasPassed() {
        ClaimKey key = key("E1");
        store.claim(key, first, null, SHORT_TTL);

        nanoTime.addAndGet(SHORT_TTL.toNanos() - 1);

        assertThat(store.claim(key, second, null, LEASE).owner()).isEqualTo(first.value());
        assertThat(store.inspect(key).timeLeft()).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void shouldSweepExpiredClaimsWhenManyOperationsPassed() {
        store.claim(key("E-expiring"), first, null, SHORT_TTL);
        nanoTime.addAndGet(SHORT_TTL.toNanos());

        for (int i = 0; i < InMemoryClaimStore.SWEEP_EVERY; i++) {
            store.inspect(key("E-expiring"));
            store.renew(key("E-other"), OwnerToken.random(), LEASE);
        }

        assertThat(store.size()).isZero();
    }
}

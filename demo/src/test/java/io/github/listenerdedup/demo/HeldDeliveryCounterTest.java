package io.github.listenerdedup.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.store.memory.InMemoryClaimStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeldDeliveryCounterTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private final HeldDeliveryCounter store = new HeldDeliveryCounter(new InMemoryClaimStore());
    private final ClaimKey key = new ClaimKey("dedup", "demo", "e1");

    @Test
    void shouldCountEachHeldDeliveryOnceWhenItPollsSeveralTimes() {
        OwnerToken owner = OwnerToken.random();
        OwnerToken copy = OwnerToken.random();
        OwnerToken otherCopy = OwnerToken.random();

        assertThat(store.claim(key, owner, null, LEASE).status()).isEqualTo(ClaimResult.Status.ACQUIRED);
        assertThat(store.claim(key, copy, null, LEASE).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);
        assertThat(store.claim(key, copy, null, LEASE).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);
        assertThat(store.claim(key, otherCopy, null, LEASE).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);

        assertThat(store.heldDeliveries()).isEqualTo(2);
    }

    @Test
    void shouldNotCountACopyWhenItFindsTheEventCompleted() {
        OwnerToken owner = OwnerToken.random();
        store.claim(key, owner, null, LEASE);
        assertThat(store.complete(key, owner, LEASE)).isTrue();

        assertThat(store.claim(key, OwnerToken.random(), null, LEASE).status())
                .isEqualTo(ClaimResult.Status.COMPLETED);
        assertThat(store.heldDeliveries()).isZero();
        assertThat(store.inspect(key).state()).isEqualTo(ClaimState.COMPLETED);
    }
}

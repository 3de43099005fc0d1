package io.github.listenerdedup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.store.memory.InMemoryClaimStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaseRenewalTest {

    private final CountingRenewals store = new CountingRenewals(new InMemoryClaimStore());
    private final DedupSettings settings = DedupSettings.builder()
            .group("billing")
            .lease(Duration.ofSeconds(1))
            .storeRetry(StoreRetrySettings.NONE)
            .build();
    private final Deduplicator deduplicator = new Deduplicator(settings, store);

    @AfterEach
    void stopRenewals() {
        deduplicator.close();
    }

    @Test
    void shouldRenewLeaseWhileHandlerOutlivesIt() throws Throwable {
        DeliveryOutcome outcome = deduplicator.process(IncomingDelivery.of("E2", null), () ->
                await().atMost(Duration.ofSeconds(10)).until(() -> store.renewals.get() >= 4));

        assertThat(outcome).isEqualTo(DeliveryOutcome.PROCESSED);
        assertThat(store.lostRenewals).hasValue(0);
        assertThat(store.inspect(settings.keyFor("E2")).state()).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldReportLeaseLostAndSparePresentOwnerWhenClaimPassedToAnotherDelivery() throws Throwable {
        ClaimKey key = settings.keyFor("E2");
        OwnerToken newOwner = OwnerToken.random();

        DeliveryOutcome outcome = deduplicator.process(IncomingDelivery.of("E2", null), () -> {
            store.forget(key);
            store.claim(key, newOwner, null, Duration.ofMinutes(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> store.lostRenewals.get() >= 1);
        });

        assertThat(outcome).isEqualTo(DeliveryOutcome.LEASE_LOST);
        assertThat(store.inspect(key).owner()).isEqualTo(newOwner.value());
        assertThat(store.inspect(key).state()).isEqualTo(ClaimState.IN_PROGRESS);
    }

    @Test
    void shouldStopRenewingRunningHandlersWhenDeduplicatorIsClosed() throws Throwable {
        AtomicInteger renewalsAtClose = new AtomicInteger();

        DeliveryOutcome outcome = deduplicator.process(IncomingDelivery.of("E4", null), () -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> store.renewals.get() >= 1);
            deduplicator.close();
            renewalsAtClose.set(store.renewals.get());
            await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(4))
                    .until(() -> store.renewals.get() == renewalsAtClose.get());
        });

        assertThat(store.renewals).hasValue(renewalsAtClose.get());
        assertThat(outcome).as("the lease of 1 s ran out unrenewed").isEqualTo(DeliveryOutcome.LEASE_LOST);
    }

    @Test
    void shouldNotCallStoreToRenewWhenHandlerIsShort() throws Throwable {
        deduplicator.process(IncomingDelivery.of("E3", null), () -> { });

        assertThat(store.renewals).hasValue(0);
    }

    private static final class CountingRenewals extends ForwardingClaimStore {

        final AtomicInteger renewals = new AtomicInteger();
        final AtomicInteger lostRenewals = new AtomicInteger();

        CountingRenewals(ClaimStore delegate) {
            super(delegate);
        }

        @Override
        public boolean renew(ClaimKey key, OwnerToken token, Duration lease) {
            boolean owned = super.renew(key, token, lease);
            (owned ? renewals : lostRenewals).incrementAndGet();
            return owned;
        }
    }
}

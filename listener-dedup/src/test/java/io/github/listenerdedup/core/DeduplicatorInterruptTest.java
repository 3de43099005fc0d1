package io.github.listenerdedup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.store.memory.InMemoryClaimStore;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeduplicatorInterruptTest {

    private final InMemoryClaimStore memory = new InMemoryClaimStore();
    private final DedupSettings settings = DedupSettings.builder().group("billing")
            .storeRetry(StoreRetrySettings.NONE).leaseRenewal(false).build();
    private final Deduplicator deduplicator = new Deduplicator(settings, new RefusingWhenInterrupted(memory));

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void shouldCompleteClaimAndKeepInterruptWhenHandlerThreadWasInterrupted() throws Throwable {
        DeliveryOutcome outcome = deduplicator.process(IncomingDelivery.of("E1", null),
                () -> Thread.currentThread().interrupt());

        assertThat(outcome).isEqualTo(DeliveryOutcome.PROCESSED);
        assertThat(memory.inspect(settings.keyFor("E1")).state()).isEqualTo(ClaimState.COMPLETED);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void shouldReleaseClaimAndKeepInterruptWhenInterruptedHandlerFails() {
        IllegalStateException failure = new IllegalStateException("stopped");

        assertThatThrownBy(() -> deduplicator.process(IncomingDelivery.of("E1", null), () -> {
            Thread.currentThread().interrupt();
            throw failure;
        })).isSameAs(failure);

        assertThat(memory.inspect(settings.keyFor("E1")).state()).isEqualTo(ClaimState.RELEASED);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    /** A store whose calls after the handler fail on an interrupted thread, as a blocking client's calls do. */
    private static final class RefusingWhenInterrupted extends ForwardingClaimStore {

        private RefusingWhenInterrupted(ClaimStore delegate) {
            super(delegate);
        }

        @Override
        public boolean complete(ClaimKey key, OwnerToken token, Duration retention) {
            return refuseIfInterrupted(() -> super.complete(key, token, retention));
        }

        @Override
        public boolean release(ClaimKey key, OwnerToken token, Duration retention) {
            return refuseIfInterrupted(() -> super.release(key, token, retention));
        }

        private static <T> T refuseIfInterrupted(Supplier<T> call) {
            if (Thread.currentThread().isInterrupted()) {
                throw new StoreUnavailableException("interrupted", new InterruptedException());
            }
            return call.get();
        }
    }
}

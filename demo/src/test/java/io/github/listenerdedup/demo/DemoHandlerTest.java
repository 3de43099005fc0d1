package io.github.listenerdedup.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoHandlerTest {

    private final HandlingLedger ledger = new HandlingLedger();
    private final DemoHandler handler = new DemoHandler(ledger, Set.of("flaky"));

    @Test
    void shouldRecordAnEventWhenItIsHandled() {
        handler.handle("calm", "p");
        handler.handle("calm", "p");

        assertThat(ledger.handledCounts()).isEqualTo(Map.of("calm", 2));
        assertThat(ledger.totalHandled()).isEqualTo(2);
        assertThat(ledger.distinctHandled()).isEqualTo(1);
        assertThat(ledger.failuresInjected()).isZero();
    }

    @Test
    void shouldFailOnlyTheFirstTryWhenTheEventIsFailFirst() {
        assertThatThrownBy(() -> handler.handle("flaky", "p"))
                .isInstanceOf(DemoHandler.SimulatedFailureException.class)
                .hasMessage("simulated failure on the first try of flaky");
        assertThat(ledger.handledCounts()).isEmpty();
        assertThat(ledger.failuresRecovered()).isZero();

        handler.handle("flaky", "p");

        assertThat(ledger.handledCounts()).isEqualTo(Map.of("flaky", 1));
        assertThat(ledger.failuresInjected()).isEqualTo(1);
        assertThat(ledger.failuresRecovered()).isEqualTo(1);
    }

    @Test
    void shouldRecogniseTheSimulatedFailureWhenAContainerWrapsIt() {
        Throwable simulated = catchFailure();

        assertThat(DemoHandler.isSimulatedFailure(new RuntimeException("outer", new IllegalStateException(simulated))))
                .isTrue();
        assertThat(DemoHandler.isSimulatedFailure(new RuntimeException("other"))).isFalse();
    }

    private Throwable catchFailure() {
        try {
            handler.handle("flaky", "p");
            throw new AssertionError("the first try should fail");
        } catch (DemoHandler.SimulatedFailureException e) {
            return e;
        }
    }
}

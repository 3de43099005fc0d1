package io.github.listenerdedup.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.listenerdedup.core.DeliveryOutcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeTallyTest {

    private final OutcomeTally tally = new OutcomeTally();

    @Test
    void shouldCountOnlyAcknowledgedAndRejectedDeliveriesAsSettled() {
        report(DeliveryOutcome.PROCESSED, 3);
        report(DeliveryOutcome.DUPLICATE, 2);
        report(DeliveryOutcome.REJECTED_ID, 1);
        report(DeliveryOutcome.RELEASED, 4);
        report(DeliveryOutcome.IN_FLIGHT_REQUEUED, 5);
        report(DeliveryOutcome.STORE_UNAVAILABLE, 6);

        assertThat(tally.settled()).isEqualTo(6);
        assertThat(tally.requeued()).isEqualTo(11);
        assertThat(tally.count(DeliveryOutcome.RELEASED)).isEqualTo(4);
    }

    @Test
    void shouldListOnlyOutcomesThatHappenedWhenAskedForNonZero() {
        report(DeliveryOutcome.DUPLICATE, 2);

        assertThat(tally.nonZero()).isEqualTo(Map.of(DeliveryOutcome.DUPLICATE, 2));
    }

    private void report(DeliveryOutcome outcome, int times) {
        for (int i = 0; i < times; i++) {
            tally.onOutcome("g", "e", outcome);
        }
    }
}

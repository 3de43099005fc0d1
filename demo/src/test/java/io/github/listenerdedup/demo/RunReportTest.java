package io.github.listenerdedup.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.listenerdedup.core.DeliveryOutcome;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunReportTest {

    @Test
    void shouldPrintEveryCountWhenSummarising() {
        Map<DeliveryOutcome, Integer> outcomes = new EnumMap<>(DeliveryOutcome.class);
        outcomes.put(DeliveryOutcome.PROCESSED, 200);
        outcomes.put(DeliveryOutcome.DUPLICATE, 58);
        outcomes.put(DeliveryOutcome.RELEASED, 9);
        outcomes.put(DeliveryOutcome.IN_FLIGHT_REQUEUED, 1);
        RunReport report = new RunReport(200, 258, 200, 9, 9, outcomes, 21,
                new DemoMessaging.QueueCounts(0, 2), Duration.ofMillis(1234));

        assertThat(report.summaryLines()).containsExactly(
                "Summary (1234 ms)",
                "  events                        200",
                "  deliveries published          258  (58 duplicate copies)",
                "  handled                       200  handler runs that succeeded, from the handler's records",
                "  duplicates skipped             58  acknowledged without running the handler",
                "  failures released               9  handler failed, claim released, delivery redelivered "
                        + "(9 injected)",
                "  retried and handled             9  of the events whose first try failed",
                "  held while in flight           21  copies that waited while another consumer handled the event",
                "  requeued                        1  in-flight claim or store unreachable past the wait",
                "  rejected                        0  unusable event id, to the dead-letter path",
                "  left on the queue               0",
                "  in the dead-letter queue        2",
                "  library outcomes: processed=200, duplicate=58, released=9, in-flight-requeued=1");
    }

    @Test
    void shouldLeaveOutTheQueueWhenItCouldNotBeAsked() {
        RunReport report = new RunReport(1, 1, 0, 0, 0, Map.of(), 0, null, Duration.ZERO);

        assertThat(report.summaryLines())
                .noneMatch(line -> line.contains("left on the queue") || line.contains("dead-letter queue"))
                .contains("  library outcomes: none");
    }
}

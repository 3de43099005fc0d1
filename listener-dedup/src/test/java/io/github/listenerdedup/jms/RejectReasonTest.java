package io.github.listenerdedup.jms;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.EventIdReader;
import io.github.listenerdedup.core.IncomingDelivery;
import io.github.listenerdedup.core.MissingIdPolicy;
import org.junit.jupiter.api.Test;

class RejectReasonTest {

    private final EventIdReader reader = new EventIdReader(DedupSettings.DEFAULT_MAX_ID_LENGTH);

    @Test
    void shouldNameConflictAndIdWhenIdWasHandledWithOtherContent() {
        assertThat(reason(DeliveryOutcome.CONFLICT, IncomingDelivery.of("E-1", "ID:1"), settings().build()))
                .isEqualTo("conflict: event id E-1 was handled before with other content");
    }

    @Test
    void shouldNameAttemptsAndMessageIdWhenMessageIdStoodInForMissingEventId() {
        DedupSettings settings = settings().missingId(MissingIdPolicy.MESSAGE_ID).maxAttempts(3).build();

        assertThat(reason(DeliveryOutcome.MAX_ATTEMPTS, IncomingDelivery.of(null, "ID:host-1:1:1:1:7"), settings))
                .isEqualTo("max-attempts: the listener failed its last allowed attempt "
                        + "(max-attempts 3) at message id ID:host-1:1:1:1:7");
    }

    @Test
    void shouldNameStatusWhenIdIsUnusable() {
        assertThat(reason(DeliveryOutcome.REJECTED_ID, IncomingDelivery.of(" ", "ID:1"), settings().build()))
                .isEqualTo("rejected-id: event id BLANK (blank value)");
    }

    @Test
    void shouldEscapeControlCharactersWhenIdOrResolverFailureHoldsThem() {
        IncomingDelivery unreadable = new IncomingDelivery(null, "ID:1", "bad JSON\nat line 2");

        assertThat(reason(DeliveryOutcome.CONFLICT, IncomingDelivery.of("E\n1", "ID:1"), settings().build()))
                .isEqualTo("conflict: event id E\\n1 was handled before with other content");
        assertThat(reason(DeliveryOutcome.REJECTED_ID, unreadable, settings().build()))
                .isEqualTo("rejected-id: event id UNREADABLE (bad JSON\\nat line 2)");
    }

    private String reason(DeliveryOutcome outcome, IncomingDelivery delivery, DedupSettings settings) {
        return RejectReason.of(outcome, delivery, reader, settings);
    }

    private static DedupSettings.Builder settings() {
        return DedupSettings.builder().group("billing");
    }
}

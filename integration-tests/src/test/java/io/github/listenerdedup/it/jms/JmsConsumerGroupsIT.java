package io.github.listenerdedup.it.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.it.HandlerRuns;
import io.github.listenerdedup.jms.JmsDeduplication;
import java.util.Map;
import java.util.UUID;
import org.apache.activemq.command.ActiveMQQueue;
import org.junit.jupiter.api.Test;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * One event consumed by two services: a composite destination copies each message to a {@code billing} and an
 * {@code email} queue, each with its own listener and consumer group, sharing one claim store.
 */
class JmsConsumerGroupsIT extends ActiveMqTestBase {

    private final String suffix = UUID.randomUUID().toString();

    @Test
    void shouldRunOncePerGroupWhenOneEventReachesTwoServices() throws Exception {
        String billingQueue = EmbeddedActiveMq.uniqueQueue("billing");
        String emailQueue = EmbeddedActiveMq.uniqueQueue("email");
        HandlerRuns billingRuns = new HandlerRuns();
        HandlerRuns emailRuns = new HandlerRuns();
        Deduplicator billing = start(billingQueue, "billing-" + suffix, billingRuns);
        Deduplicator email = start(emailQueue, "email-" + suffix, emailRuns);
        ActiveMQQueue bothQueues = new ActiveMQQueue(billingQueue + "," + emailQueue);

        activeMq.publish(bothQueues, Map.of(HEADER, "E10"), "order placed");
        activeMq.publish(bothQueues, Map.of(HEADER, "E10"), "order placed, published again");

        await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.DUPLICATE) == 2);
        await().atMost(SETTLE).until(() -> activeMq.isDrained(billingQueue) && activeMq.isDrained(emailQueue));
        assertThat(billingRuns.startsOf("E10")).isEqualTo(1);
        assertThat(emailRuns.startsOf("E10")).isEqualTo(1);
        assertThat(store.inspect(billing.settings().keyFor("E10")).state()).isEqualTo(ClaimState.COMPLETED);
        assertThat(store.inspect(email.settings().keyFor("E10")).state()).isEqualTo(ClaimState.COMPLETED);
        assertThat(billing.settings().keyFor("E10").render()).isEqualTo("dedup:billing-" + suffix + ":E10");
    }

    private Deduplicator start(String queue, String group, HandlerRuns groupRuns) {
        Deduplicator deduplicator = new Deduplicator(DedupSettings.builder().group(group).build(), store, outcomes);
        DefaultMessageListenerContainer container = activeMq.transactedContainer(queue, 1,
                TestListeners.succeeding(groupRuns));
        JmsDeduplication.applyTo(container, deduplicator);
        activeMq.start(container, 1);
        return deduplicator;
    }
}

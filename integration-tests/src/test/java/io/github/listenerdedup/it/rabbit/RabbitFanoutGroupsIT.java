package io.github.listenerdedup.it.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.it.HandlerRuns;
import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import io.github.listenerdedup.rabbit.RabbitDeduplication;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * C10: one event reaches two consuming services through a fanout exchange; each handles it once in its own group.
 */
class RabbitFanoutGroupsIT extends RabbitCaseSupport {

    private static final String EVENT = "E10";

    @Test
    void shouldRunOncePerGroupWhenFanoutFeedsTwoServices() {
        TestQueue billingQueue = broker.declareQueue("billing");
        TestQueue emailQueue = broker.declareQueue("email");
        String exchange = broker.declareFanout(billingQueue, emailQueue);
        String billing = "billing-" + group;
        String email = "email-" + group;
        HandlerRuns billingRuns = new HandlerRuns();
        HandlerRuns emailRuns = new HandlerRuns();
        start(billingQueue, billing, billingRuns);
        start(emailQueue, email, emailRuns);

        publishToExchange(exchange);

        await().atMost(SETTLE_TIMEOUT).until(() -> stateOf(billing, EVENT) == ClaimState.COMPLETED
                && stateOf(email, EVENT) == ClaimState.COMPLETED);
        publishToExchange(exchange);

        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.DUPLICATE) == 2);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(billingQueue, emailQueue));
        assertThat(billingRuns.startsOf(EVENT)).isEqualTo(1);
        assertThat(emailRuns.startsOf(EVENT)).isEqualTo(1);
        assertThat(outcomeCount(DeliveryOutcome.PROCESSED)).isEqualTo(2);
        assertThat(store.keysClaimed()).containsExactlyInAnyOrder(
                settings(billing).build().keyFor(EVENT), settings(email).build().keyFor(EVENT));
    }

    private void start(TestQueue queue, String groupName, HandlerRuns counter) {
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, 1);
        container.setMessageListener(countingListener(counter));
        RabbitDeduplication.applyTo(container, deduplicator(settings(groupName).build()));
        container.start();
    }

    private void publishToExchange(String exchange) {
        broker.template().send(exchange, "", MessageBuilder.withBody(EVENT.getBytes(StandardCharsets.UTF_8))
                .setHeader(DedupSettings.DEFAULT_HEADER_NAME, EVENT)
                .build());
    }
}

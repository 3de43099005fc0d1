package io.github.listenerdedup.it.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.CapturedLogs;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.MissingIdPolicy;
import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import io.github.listenerdedup.rabbit.RabbitDeduplication;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * C11: a delivery without a usable id is rejected to the dead-letter queue and nothing is claimed, even when it
 * carries an AMQP {@code message_id}; with the message-id fallback, the {@code message_id} identifies it.
 */
class RabbitMissingIdIT extends RabbitCaseSupport {

    private static final String HEADER = DedupSettings.DEFAULT_HEADER_NAME;

    @Test
    void shouldRejectToDeadLetterWithoutClaimingWhenIdIsMissingEmptyOrBlankEvenWithMessageId() {
        TestQueue queue = broker.declareQueue("c11");
        start(queue, settings().build());

        broker.publish(queue, Map.of(), "no header");
        broker.publish(queue, Map.of(HEADER, ""), "empty");
        broker.publish(queue, Map.of(HEADER, "   "), "blank");

        await().atMost(SETTLE_TIMEOUT).until(() -> broker.deadLetterCount(queue) == 3);
        String logs = CapturedLogs.during(Deduplicator.class, () -> {
            publishWithMessageId(queue, "M11");
            await().atMost(SETTLE_TIMEOUT).until(() -> broker.deadLetterCount(queue) == 4);
        });
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.totalStarts()).isZero();
        assertThat(store.claimCalls()).isZero();
        assertThat(outcomeCount(DeliveryOutcome.REJECTED_ID)).isEqualTo(4);
        assertThat(logs.lines().filter(line -> !line.startsWith("DEBUG")))
                .as("the message id is no fallback under the default policy").containsExactly(
                "ERROR io.github.listenerdedup.core.Deduplicator - Rejected delivery for group " + group
                        + ": the event id in '" + HEADER + "' is MISSING (no value)");
    }

    @Test
    void shouldClaimMessageIdAndSkipItsRedeliveryWhenPolicyFallsBackToMessageId() {
        TestQueue queue = broker.declareQueue("c11-message-id");
        start(queue, settings().missingId(MissingIdPolicy.MESSAGE_ID).build());

        publishWithMessageId(queue, "M11");
        publishWithMessageId(queue, "M11");

        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.DUPLICATE) == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.startsOf("M11")).isEqualTo(1);
        assertThat(stateOf("M11")).isEqualTo(ClaimState.COMPLETED);
        assertThat(broker.deadLetterCount(queue)).isZero();
    }

    @Test
    void shouldClaimMessageIdWhenHeaderIsBlankAndPolicyFallsBackToMessageId() {
        TestQueue queue = broker.declareQueue("c11-blank-message-id");
        start(queue, settings().missingId(MissingIdPolicy.MESSAGE_ID).build());

        for (int copy = 0; copy < 2; copy++) {
            broker.template().send("", queue.name(), MessageBuilder.withBody("M11".getBytes(StandardCharsets.UTF_8))
                    .setHeader(HEADER, "   ")
                    .setMessageId("M11")
                    .build());
        }

        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.DUPLICATE) == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.startsOf("M11")).isEqualTo(1);
        assertThat(store.keysClaimed()).containsExactly(settings().build().keyFor("M11"));
    }

    @Test
    void shouldRunWithoutClaimWhenIdIsMissingOrTooLongAndPolicyProcesses() {
        TestQueue queue = broker.declareQueue("c11-process");
        start(queue, settings().missingId(MissingIdPolicy.PROCESS).build());

        broker.publish(queue, Map.of(), "no header");
        broker.publish(queue, Map.of(HEADER, "x".repeat(300)), "too long");

        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.PROCESSED_WITHOUT_CLAIM) == 2);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.startsOf("no header")).isEqualTo(1);
        assertThat(runs.startsOf("too long")).isEqualTo(1);
        assertThat(store.claimCalls()).isZero();
        assertThat(broker.deadLetterCount(queue)).isZero();
    }

    private void start(TestQueue queue, DedupSettings settings) {
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, 1);
        container.setMessageListener(countingListener());
        RabbitDeduplication.applyTo(container, deduplicator(settings));
        container.start();
    }

    private void publishWithMessageId(TestQueue queue, String messageId) {
        broker.template().send("", queue.name(), MessageBuilder.withBody(messageId.getBytes(StandardCharsets.UTF_8))
                .setMessageId(messageId)
                .build());
    }
}

package io.github.listenerdedup.it.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.MissingIdPolicy;
import io.github.listenerdedup.jms.DeduplicatingMessageListener;
import io.github.listenerdedup.jms.JmsDeduplication;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.junit.jupiter.api.Test;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.jms.listener.SessionAwareMessageListener;

/**
 * How event ids are read from JMS properties on a real broker, by the rules of every broker: missing, blank, too
 * long and unreadable ids (floating-point numbers, booleans) are copied to the dead-letter queue without running the
 * handler; {@code JMSMessageID} stands in for any of them when configured, or the handler runs without a claim;
 * integral numbers and their text are one id; a property name that is not a Java identifier still works, with a
 * start-up WARN.
 */
class JmsEventIdIT extends ActiveMqTestBase {

    private final String queue = EmbeddedActiveMq.uniqueQueue("ids");
    private final String group = "ids-" + UUID.randomUUID();

    @Test
    void shouldCopyToDeadLetterQueueWithoutRunningWhenIdIsMissingOrBlank() throws Exception {
        start(settings().build(), HEADER);

        activeMq.publish(queue, Map.of(), "no id");
        activeMq.publish(queue, Map.of(HEADER, ""), "empty id");
        activeMq.publish(queue, Map.of(HEADER, "   "), "blank id");

        List<ActiveMQMessage> deadLetters = awaitDeadLetters(3);
        assertThat(deadLetters).extracting(JmsEventIdIT::textOf)
                .containsExactlyInAnyOrder("no id", "empty id", "blank id");
        assertThat(deadLetters).extracting(JmsEventIdIT::reasonOf).containsExactlyInAnyOrder(
                "rejected-id: event id MISSING (no value)",
                "rejected-id: event id BLANK (blank value)",
                "rejected-id: event id BLANK (blank value)");
        assertThat(deadLetters).allSatisfy(message ->
                assertThat(message.getOriginalDestination()).isEqualTo(new ActiveMQQueue(queue)));
        assertThat(runs.totalStarts()).isZero();
        assertThat(store.claimCalls()).as("nothing is claimed").isZero();
        assertThat(outcomes.of(DeliveryOutcome.REJECTED_ID)).isEqualTo(3);
    }

    @Test
    void shouldRunOnceAndSkipRedeliveryWhenMessageIdStandsInForMissingId() throws Exception {
        Deduplicator deduplicator = deduplicator(settings().missingId(MissingIdPolicy.MESSAGE_ID).build());
        DefaultMessageListenerContainer container = activeMq.transactedContainer(queue, 1, counting("JMSMessageID"));
        DeduplicatingMessageListener decorator = JmsDeduplication.applyTo(container, deduplicator);
        container.setMessageListener(rollingBackOnceAfter(decorator));
        activeMq.start(container, 1);

        activeMq.publish(queue, Map.of(), "no id, but a message id");

        await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.DUPLICATE) == 1);
        awaitDrained(queue);
        assertThat(runs.totalStarts()).isEqualTo(1);
        String messageId = runs.succeededIds().iterator().next();
        assertThat(messageId).startsWith("ID:");
        assertThat(stateOf(messageId)).isEqualTo(ClaimState.COMPLETED);
        assertThat(activeMq.deadLettersFrom(queue)).isEmpty();
    }

    @Test
    void shouldHandleOnceWhenIdArrivesAsTextAndAsNumbers() throws Exception {
        start(settings().build(), HEADER);

        activeMq.publish(queue, Map.of(HEADER, "12345"), "as text");
        activeMq.publish(queue, Map.of(HEADER, 12345L), "as long");
        activeMq.publish(queue, Map.of(HEADER, 12345), "as int");

        await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.DUPLICATE) == 2);
        awaitDrained(queue);
        assertThat(runs.startsOf("12345")).isEqualTo(1);
        assertThat(store.keysClaimed()).containsExactly(settings().build().keyFor("12345"));
        assertThat(stateOf("12345")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldCopyToDeadLetterQueueWhenIdIsLongerThanMaximum() throws Exception {
        start(settings().build(), HEADER);

        activeMq.publish(queue, Map.of(HEADER, "E".repeat(2_000)), "too long");

        List<ActiveMQMessage> deadLetters = awaitDeadLetters(1);
        assertThat(reasonOf(deadLetters.get(0)))
                .isEqualTo("rejected-id: event id TOO_LONG (value of 2000 characters, more than the maximum of 256)");
        assertThat(runs.totalStarts()).isZero();
        assertThat(store.claimCalls()).isZero();
    }

    @Test
    void shouldReadIdAndWarnAtStartupWhenPropertyNameIsNotJavaIdentifier() throws Exception {
        List<String> lines = TestLogs.during(JmsDeduplication.class,
                () -> start(settings().headerName("event-id").build(), "event-id"));
        assertThat(TestLogs.messages(lines, "WARN")).containsExactly("Event id property 'event-id' of group '" + group
                + "' on queue '" + queue + "' is not a Java identifier: JMS message selectors cannot refer to it, "
                + "though ActiveMQ accepts it and STOMP producers send it");

        activeMq.publish(queue, Map.of("event-id", "E-dashed"), "first");
        activeMq.publish(queue, Map.of("event-id", "E-dashed"), "second");

        await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.DUPLICATE) == 1);
        awaitDrained(queue);
        assertThat(runs.startsOf("E-dashed")).isEqualTo(1);
        assertThat(stateOf("E-dashed")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldCopyToDeadLetterQueueAsUnreadableWhenIdIsNeitherTextNorIntegral() throws Exception {
        start(settings().build(), HEADER);

        activeMq.publish(queue, Map.of(HEADER, 12.5d), "double");
        activeMq.publish(queue, Map.of(HEADER, true), "boolean");
        activeMq.publish(queue, Map.of(HEADER, 7.0f), "float");

        List<ActiveMQMessage> deadLetters = awaitDeadLetters(3);
        assertThat(deadLetters).extracting(JmsEventIdIT::reasonOf).containsExactlyInAnyOrder(
                "rejected-id: event id UNREADABLE (a value of type java.lang.Double, which has no text form)",
                "rejected-id: event id UNREADABLE (a value of type java.lang.Boolean, which has no text form)",
                "rejected-id: event id UNREADABLE (a value of type java.lang.Float, which has no text form)");
        assertThat(runs.totalStarts()).isZero();
        assertThat(store.claimCalls()).isZero();
    }

    @Test
    void shouldHandleOnceWhenIdArrivesAsShortByteAndText() throws Exception {
        start(settings().build(), HEADER);

        activeMq.publish(queue, Map.of(HEADER, (short) 7), "as short");
        activeMq.publish(queue, Map.of(HEADER, (byte) 7), "as byte");
        activeMq.publish(queue, Map.of(HEADER, "7"), "as text");

        await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.DUPLICATE) == 2);
        awaitDrained(queue);
        assertThat(runs.startsOf("7")).isEqualTo(1);
        assertThat(store.keysClaimed()).containsExactly(settings().build().keyFor("7"));
    }

    @Test
    void shouldFallBackToMessageIdWhenIdIsBlankOrTooLong() throws Exception {
        start(settings().missingId(MissingIdPolicy.MESSAGE_ID).build(), "JMSMessageID");

        activeMq.publish(queue, Map.of(HEADER, " "), "blank id");
        activeMq.publish(queue, Map.of(HEADER, "E".repeat(300)), "too long");

        await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.PROCESSED) == 2);
        awaitDrained(queue);
        assertThat(runs.succeededIds()).hasSize(2).allSatisfy(id -> {
            assertThat(id).startsWith("ID:");
            assertThat(stateOf(id)).isEqualTo(ClaimState.COMPLETED);
        });
        assertThat(activeMq.deadLettersFrom(queue)).isEmpty();
    }

    @Test
    void shouldRunWithoutClaimWhenIdIsMissingAndPolicyIsProcess() throws Exception {
        start(settings().missingId(MissingIdPolicy.PROCESS).build(), HEADER);

        activeMq.publish(queue, Map.of(), "no id");
        activeMq.publish(queue, Map.of(), "no id again");

        await().atMost(SETTLE).until(() -> outcomes.of(DeliveryOutcome.PROCESSED_WITHOUT_CLAIM) == 2);
        awaitDrained(queue);
        assertThat(runs.startsOf("null")).isEqualTo(2);
        assertThat(store.claimCalls()).isZero();
        assertThat(activeMq.deadLettersFrom(queue)).isEmpty();
    }

    private void start(DedupSettings settings, String idProperty) {
        DefaultMessageListenerContainer container = activeMq.transactedContainer(queue, 1, counting(idProperty));
        JmsDeduplication.applyTo(container, deduplicator(settings));
        activeMq.start(container, 1);
    }

    private DedupSettings.Builder settings() {
        return DedupSettings.builder().group(group);
    }

    private Deduplicator deduplicator(DedupSettings settings) {
        return new Deduplicator(settings, store, outcomes);
    }

    private MessageListener counting(String idProperty) {
        return message -> {
            String id = idOf(message, idProperty);
            runs.started(id);
            runs.succeeded(id);
        };
    }

    /** Rolls the first delivery back after the deduplicated listener returned, as if its commit had been lost. */
    private static SessionAwareMessageListener<Message> rollingBackOnceAfter(DeduplicatingMessageListener decorator) {
        AtomicBoolean rolledBack = new AtomicBoolean();
        return (message, session) -> {
            decorator.onMessage(message, session);
            if (rolledBack.compareAndSet(false, true)) {
                throw new IllegalStateException("commit lost after the handler succeeded");
            }
        };
    }

    private List<ActiveMQMessage> awaitDeadLetters(int count) throws Exception {
        await().atMost(SETTLE).until(() -> activeMq.deadLettersFrom(queue).size() == count);
        awaitDrained(queue);
        return activeMq.deadLettersFrom(queue);
    }

    private ClaimState stateOf(String eventId) {
        return store.inspect(settings().build().keyFor(eventId)).state();
    }

    private static String idOf(Message message, String idProperty) {
        try {
            if (idProperty.equals("JMSMessageID")) {
                return message.getJMSMessageID();
            }
            return TestListeners.property(message, idProperty);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String textOf(ActiveMQMessage message) {
        try {
            return ((ActiveMQTextMessage) message).getText();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String reasonOf(ActiveMQMessage message) {
        try {
            return message.getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}

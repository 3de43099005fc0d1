package io.github.listenerdedup.it.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.FingerprintMode;
import io.github.listenerdedup.core.MissingIdPolicy;
import io.github.listenerdedup.jms.DeduplicatingMessageListener;
import io.github.listenerdedup.jms.JmsDeduplication;
import jakarta.jms.MessageListener;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * What reaches the dead-letter queue and what does not: the decorator's own rejects (same id with other content,
 * the last of {@code maxAttempts}) are copied there in the consuming session while the original is consumed, in a
 * transacted session and under client acknowledge; and ActiveMQ drops a non-persistent message whose redeliveries
 * ran out, unless its dead-letter strategy is told to keep non-persistent ones.
 */
class JmsDeadLetterIT extends ActiveMqTestBase {

    private final String group = "dead-letters-" + UUID.randomUUID();
    private String queue = EmbeddedActiveMq.uniqueQueue("dead-letters");

    @ParameterizedTest
    @EnumSource(value = SessionMode.class, names = {"TRANSACTED", "CLIENT_ACKNOWLEDGE"})
    void shouldCopyToDeadLetterQueueAndLogErrorWhenSameIdArrivesWithOtherContent(SessionMode mode)
            throws Exception {
        Deduplicator deduplicator = start(mode, settings().fingerprint(FingerprintMode.SHA_256),
                TestListeners.succeeding(runs));
        activeMq.publish(queue, Map.of(HEADER, "E-conflict"), "amount=10");
        await().atMost(SETTLE).until(() -> runs.successesOf("E-conflict") == 1);

        List<String> lines = TestLogs.during(Deduplicator.class, () -> {
            activeMq.publish(queue, Map.of(HEADER, "E-conflict"), "amount=10");
            activeMq.publish(queue, Map.of(HEADER, "E-conflict"), "amount=99");
            await().atMost(SETTLE).until(() -> activeMq.deadLettersFrom(queue).size() == 1);
            awaitDrained(queue);
        });

        assertThat(runs.startsOf("E-conflict")).isEqualTo(1);
        assertThat(outcomes.of(DeliveryOutcome.DUPLICATE)).isEqualTo(1);
        assertThat(outcomes.of(DeliveryOutcome.CONFLICT)).isEqualTo(1);
        ActiveMQMessage copy = activeMq.deadLettersFrom(queue).get(0);
        assertThat(((ActiveMQTextMessage) copy).getText()).isEqualTo("amount=99");
        assertThat(copy.getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY))
                .isEqualTo("conflict: event id E-conflict was handled before with other content");
        assertThat(copy.getOriginalDestination()).isEqualTo(new ActiveMQQueue(queue));
        assertThat(TestLogs.messages(lines, "ERROR")).singleElement().asString()
                .startsWith("Rejected delivery of dedup:" + group + ":E-conflict: the id was completed with other "
                        + "content");
        assertThat(stateOf(deduplicator, "E-conflict")).isEqualTo(ClaimState.COMPLETED);
    }

    @ParameterizedTest
    @EnumSource(value = SessionMode.class, names = {"TRANSACTED", "CLIENT_ACKNOWLEDGE"})
    void shouldCopyToDeadLetterQueueAndDiscardClaimWhenMaxAttemptsAreSpent(SessionMode mode) throws Exception {
        int maxAttempts = 3;

        List<String> lines = TestLogs.during(Deduplicator.class, () -> {
            start(mode, settings().maxAttempts(maxAttempts), alwaysFailing());
            activeMq.publish(queue, Map.of(HEADER, "E-spent"), "body");
            await().atMost(SETTLE).until(() -> activeMq.deadLettersFrom(queue).size() == 1);
            awaitDrained(queue);
        });

        assertThat(runs.startsOf("E-spent")).isEqualTo(maxAttempts);
        assertThat(outcomes.of(DeliveryOutcome.MAX_ATTEMPTS)).isEqualTo(1);
        assertThat(store.inspect(settings().build().keyFor("E-spent")).state()).isEqualTo(ClaimState.ABSENT);
        ActiveMQMessage copy = activeMq.deadLettersFrom(queue).get(0);
        assertThat(copy.getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY))
                .isEqualTo("max-attempts: the listener failed its last allowed attempt "
                        + "(max-attempts 3) at event id E-spent");
        assertThat(TestLogs.messages(lines, "WARN")).singleElement().asString()
                .isEqualTo("Dead-lettering dedup:" + group + ":E-spent after 3 failed attempts (max-attempts 3); its "
                        + "claim is discarded so a replay starts afresh");
    }

    @Test
    void shouldNameMessageIdInReasonWhenLastAttemptFailsOnMessageIdStandingInForEventId() throws Exception {
        List<String> messageIds = new CopyOnWriteArrayList<>();
        start(SessionMode.CLIENT_ACKNOWLEDGE, settings().missingId(MissingIdPolicy.MESSAGE_ID).maxAttempts(1),
                message -> {
                    messageIds.add(TestListeners.messageIdOf(message));
                    throw new IllegalStateException("fails");
                });

        activeMq.publish(queue, Map.of(), "no event id");

        await().atMost(SETTLE).until(() -> activeMq.deadLettersFrom(queue).size() == 1);
        awaitDrained(queue);
        assertThat(activeMq.deadLettersFrom(queue).get(0)
                .getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY))
                .isEqualTo("max-attempts: the listener failed its last allowed attempt (max-attempts 1) at message id "
                        + messageIds.get(0));
        assertThat(messageIds).hasSize(1);
    }

    @Test
    void shouldEscapeIdInReasonAndLogLineWhenIdHoldsLineBreak() throws Exception {
        start(SessionMode.CLIENT_ACKNOWLEDGE, settings().maxAttempts(1), alwaysFailing());

        List<String> lines = TestLogs.during(DeduplicatingMessageListener.class.getPackageName(), () -> {
            activeMq.publish(queue, Map.of(HEADER, "E-1\nINFO forged"), "body");
            await().atMost(SETTLE).until(() -> activeMq.deadLettersFrom(queue).size() == 1);
            awaitDrained(queue);
        });

        String reason = "max-attempts: the listener failed its last allowed attempt "
                + "(max-attempts 1) at event id E-1\\nINFO forged";
        assertThat(activeMq.deadLettersFrom(queue).get(0)
                .getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY)).isEqualTo(reason);
        assertThat(TestLogs.messages(lines, "INFO")).singleElement().asString()
                .startsWith("Sent a copy of rejected message ").endsWith(" to dead-letter queue 'ActiveMQ.DLQ': "
                        + reason);
    }

    @Test
    void shouldDropNonPersistentMessageWhenRedeliveriesRunOutOnDefaultPolicy() throws Exception {
        Deduplicator deduplicator = start(SessionMode.TRANSACTED, settings(), alwaysFailing());

        activeMq.publishNonPersistent(queue, Map.of(HEADER, "E-fleeting"), "body");

        await().atMost(SETTLE).until(() -> runs.startsOf("E-fleeting") == EmbeddedActiveMq.MAXIMUM_REDELIVERIES + 1);
        awaitDrained(queue);
        assertThat(activeMq.deadLettersFrom(queue)).as("dropped, not dead-lettered").isEmpty();
        assertThat(stateOf(deduplicator, "E-fleeting")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldDeadLetterNonPersistentMessageWhenStrategyKeepsThem() throws Exception {
        queue = EmbeddedActiveMq.uniqueQueue(EmbeddedActiveMq.KEEP_NON_PERSISTENT);
        start(SessionMode.TRANSACTED, settings(), alwaysFailing());

        activeMq.publishNonPersistent(queue, Map.of(HEADER, "E-kept"), "body");

        await().atMost(SETTLE).until(() -> activeMq.deadLettersFrom(queue).size() == 1);
        awaitDrained(queue);
        assertThat(runs.startsOf("E-kept")).isEqualTo(EmbeddedActiveMq.MAXIMUM_REDELIVERIES + 1);
    }

    private Deduplicator start(SessionMode mode, DedupSettings.Builder settings, MessageListener listener) {
        Deduplicator deduplicator = new Deduplicator(settings.build(), store, outcomes);
        DefaultMessageListenerContainer container = activeMq.container(queue, 1, listener, mode);
        JmsDeduplication.applyTo(container, deduplicator);
        activeMq.start(container, 1);
        return deduplicator;
    }

    private DedupSettings.Builder settings() {
        return DedupSettings.builder().group(group);
    }

    private MessageListener alwaysFailing() {
        return message -> {
            String id = TestListeners.idOf(message);
            throw new IllegalStateException("attempt " + runs.started(id) + " of " + id + " fails");
        };
    }

    private ClaimState stateOf(Deduplicator deduplicator, String eventId) {
        return store.inspect(deduplicator.settings().keyFor(eventId)).state();
    }
}

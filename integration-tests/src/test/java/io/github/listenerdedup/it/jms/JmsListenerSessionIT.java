package io.github.listenerdedup.it.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.jms.DeduplicatingMessageListener;
import io.github.listenerdedup.jms.JmsDeduplication;
import io.github.listenerdedup.jms.SessionMessageListener;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.activemq.command.ActiveMQMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.jms.listener.SessionAwareMessageListener;

/**
 * What a listener does with the session it is handed: sends through it are committed or rolled back with the
 * consumption by the container as before; a {@code rollback()} or {@code recover()} it calls itself hands the
 * message back, so the claim is released and the redelivery runs; and the last of {@code maxAttempts} in a
 * transacted session commits nothing the failed attempt sent, while its original still ends in the dead-letter queue.
 */
class JmsListenerSessionIT extends ActiveMqTestBase {

    private final String queue = EmbeddedActiveMq.uniqueQueue("listener-session");
    private final String audit = EmbeddedActiveMq.uniqueQueue("listener-session-audit");
    private final String group = "listener-session-" + UUID.randomUUID();
    private PlainConsumers plainConsumers;

    @AfterEach
    void closePlainConsumers() throws JMSException {
        if (plainConsumers != null) {
            plainConsumers.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SessionMode.class, names = {"TRANSACTED", "CLIENT_ACKNOWLEDGE"})
    void shouldReleaseClaimAndRunRedeliveryWhenContainerListenerHandsBackItself(SessionMode mode)
            throws Exception {
        Deduplicator deduplicator = deduplicator(settings());
        startContainer(mode, deduplicator, this::handBackFirstAttempt);

        activeMq.publish(queue, Map.of(HEADER, "E-hand-back"), "body");

        assertRanAgainAndCompleted(deduplicator, "E-hand-back");
        assertThat(activeMq.queueSize(audit)).as("the rolled-back send is gone, the committed one stays; sends "
                + "without a transaction stay").isEqualTo(mode == SessionMode.TRANSACTED ? 1 : 2);
        assertThat(activeMq.deadLettersFrom(queue)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = SessionMode.class, names = {"TRANSACTED", "CLIENT_ACKNOWLEDGE", "AUTO_ACKNOWLEDGE"})
    void shouldReleaseClaimAndRunRedeliveryWhenPlainListenerHandsBackItself(SessionMode mode) throws Exception {
        Deduplicator deduplicator = deduplicator(settings());
        startPlain(mode, deduplicator, this::handBackFirstAttempt);

        activeMq.publish(queue, Map.of(HEADER, "E-plain-hand-back"), "body");

        assertRanAgainAndCompleted(deduplicator, "E-plain-hand-back");
    }

    @ParameterizedTest(name = "plain session: {0}")
    @ValueSource(booleans = {false, true})
    void shouldCommitNothingFailedAttemptSentWhenLastAttemptFailsInTransactedSession(boolean plain) throws Exception {
        Deduplicator deduplicator = deduplicator(settings().maxAttempts(1));
        if (plain) {
            startPlain(SessionMode.TRANSACTED, deduplicator, this::sendThenFail);
        } else {
            startContainer(SessionMode.TRANSACTED, deduplicator, this::sendThenFail);
        }

        activeMq.publish(queue, Map.of(HEADER, "E-last"), "body");

        assertLastAttemptRolledBackAndOriginalDeadLettered(deduplicator, "E-last");
    }

    @Test
    void shouldDeadLetterRedeliveryWhenListenerHandsBackItsLastAttempt() throws Exception {
        Deduplicator deduplicator = deduplicator(settings().maxAttempts(1));
        startContainer(SessionMode.CLIENT_ACKNOWLEDGE, deduplicator, (message, session) -> {
            runs.started(TestListeners.idOf(message));
            session.recover();
        });

        activeMq.publish(queue, Map.of(HEADER, "E-recovered"), "body");

        await().atMost(SETTLE).until(() -> activeMq.deadLettersFrom(queue).size() == 1);
        awaitDrained(queue);
        assertThat(runs.startsOf("E-recovered")).isEqualTo(1);
        assertThat(reasonOf(activeMq.deadLettersFrom(queue).get(0)))
                .isEqualTo("max-attempts: the listener failed its last allowed attempt "
                        + "(max-attempts 1) at event id E-recovered");
    }

    private void assertRanAgainAndCompleted(Deduplicator deduplicator, String eventId) {
        await().atMost(SETTLE).until(() -> runs.successesOf(eventId) == 1);
        awaitDrained(queue);
        assertThat(runs.startsOf(eventId)).as("the redelivery ran, not skipped as a duplicate").isEqualTo(2);
        assertThat(outcomes.of(DeliveryOutcome.DUPLICATE)).isZero();
        assertThat(stateOf(deduplicator, eventId)).isEqualTo(ClaimState.COMPLETED);
    }

    private void assertLastAttemptRolledBackAndOriginalDeadLettered(Deduplicator deduplicator, String eventId)
            throws Exception {
        await().atMost(SETTLE).until(() -> activeMq.deadLettersFrom(queue).size() == 1);
        awaitDrained(queue);
        assertThat(activeMq.queueSize(audit)).as("the failed attempt's send was rolled back").isZero();
        List<ActiveMQMessage> deadLetters = activeMq.deadLettersFrom(queue);
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0).getStringProperty(HEADER)).isEqualTo(eventId);
        assertThat(reasonOf(deadLetters.get(0)))
                .isEqualTo("max-attempts: the listener failed its last allowed attempt "
                        + "(max-attempts 1) at event id " + eventId);
        assertThat(runs.startsOf(eventId)).as("its redelivery did not run the listener").isEqualTo(1);
        assertThat(outcomes.of(DeliveryOutcome.MAX_ATTEMPTS)).isEqualTo(1);
        assertThat(stateOf(deduplicator, eventId)).isEqualTo(ClaimState.ABSENT);
    }

    /** Sends to the audit queue on every attempt, and hands the first attempt back without throwing. */
    private void handBackFirstAttempt(Message message, Session session) throws JMSException {
        String id = TestListeners.idOf(message);
        int attempt = runs.started(id);
        sendToAudit(session, "attempt " + attempt);
        if (attempt > 1) {
            runs.succeeded(id);
        } else if (session.getTransacted()) {
            session.rollback();
        } else {
            session.recover();
        }
    }

    private void sendThenFail(Message message, Session session) throws JMSException {
        String id = TestListeners.idOf(message);
        int attempt = runs.started(id);
        sendToAudit(session, "attempt " + attempt);
        throw new IllegalStateException("attempt " + attempt + " of " + id + " fails after sending");
    }

    private void sendToAudit(Session session, String text) throws JMSException {
        try (MessageProducer producer = session.createProducer(session.createQueue(audit))) {
            producer.send(session.createTextMessage(text));
        }
    }

    private void startContainer(SessionMode mode, Deduplicator deduplicator,
            SessionAwareMessageListener<Message> listener) {
        DefaultMessageListenerContainer container = activeMq.container(queue, 1, listener, mode);
        JmsDeduplication.applyTo(container, deduplicator);
        activeMq.start(container, 1);
    }

    private void startPlain(SessionMode mode, Deduplicator deduplicator, SessionMessageListener listener)
            throws JMSException {
        plainConsumers = PlainConsumers.open(activeMq.connectionFactory()).add(queue, mode, listener, deduplicator)
                .start();
    }

    private Deduplicator deduplicator(DedupSettings.Builder settings) {
        return new Deduplicator(settings.build(), store, outcomes);
    }

    private DedupSettings.Builder settings() {
        return DedupSettings.builder().group(group);
    }

    private ClaimState stateOf(Deduplicator deduplicator, String eventId) {
        return store.inspect(deduplicator.settings().keyFor(eventId)).state();
    }

    private static String reasonOf(ActiveMQMessage deadLetter) throws JMSException {
        return deadLetter.getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY);
    }
}

package io.github.listenerdedup.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.CapturedLogs;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.jms.JmsFakes.RecordingSession;
import io.github.listenerdedup.store.memory.InMemoryClaimStore;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.command.ActiveMQTopic;
import org.junit.jupiter.api.Test;

class DeduplicatingSessionListenerTest {

    private static final String QUEUE = "orders";
    private static final int INDIVIDUAL_ACKNOWLEDGE = 4;

    private final InMemoryClaimStore store = new InMemoryClaimStore();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final MessageListener listener = message -> handled.add(textOf(message));
    private final IllegalStateException failure = new IllegalStateException("handler failed");
    private final MessageListener failing = message -> {
        throw failure;
    };

    @Test
    void shouldCommitHandledAndDuplicateWhenSessionIsTransacted() throws Exception {
        RecordingSession session = new RecordingSession();
        DeduplicatingSessionListener decorator = decorate(session, listener, settings().build());

        decorator.onMessage(received(session, "first", "E1"));
        decorator.onMessage(received(session, "second", "E1"));

        assertThat(handled).containsExactly("first");
        assertThat(session.calls()).containsExactly("commit", "commit");
        assertThat(stateOf("E1")).isEqualTo(ClaimState.COMPLETED);
        assertThat(decorator.acknowledgeMode()).isEqualTo("transacted");
    }

    @Test
    void shouldRollBackWithoutThrowingAndWarnOnceWhenListenerFailsInTransactedSession() throws Exception {
        RecordingSession session = new RecordingSession();
        DeduplicatingSessionListener decorator = decorate(session, failing, settings().build());
        ActiveMQTextMessage message = received(session, "body", "E2");
        message.setRedeliveryCounter(2);

        String log = CapturedLogs.during(DeduplicatingSessionListener.class, () -> decorator.onMessage(message));

        assertThat(session.calls()).containsExactly("rollback");
        assertThat(stateOf("E2")).isEqualTo(ClaimState.RELEASED);
        assertThat(log.lines().filter(line -> !line.startsWith("DEBUG")))
                .containsExactly("WARN io.github.listenerdedup.jms.DeduplicatingSessionListener - Listener of group "
                + "'billing' failed on event id E2 (JMSXDeliveryCount 3) from queue 'orders': "
                + "java.lang.IllegalStateException: handler failed; its claim was released, and the broker redelivers "
                + "the message or dead-letters it after its maximum redeliveries");
    }

    @Test
    void shouldAcknowledgeHandledAndRecoverFailedWhenClientAcknowledge() throws Exception {
        RecordingSession session = new RecordingSession(false, Session.CLIENT_ACKNOWLEDGE);
        decorate(session, listener, settings().build()).onMessage(received(session, "ok", "E3"));
        decorate(session, failing, settings().build()).onMessage(received(session, "fails", "E4"));

        assertThat(session.calls()).containsExactly("acknowledge", "recover");
        assertThat(stateOf("E3")).isEqualTo(ClaimState.COMPLETED);
        assertThat(stateOf("E4")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldAcknowledgeHandledAndRethrowFailureWhenIndividualAcknowledge() throws Exception {
        RecordingSession session = new RecordingSession(false, INDIVIDUAL_ACKNOWLEDGE);
        decorate(session, listener, settings().build()).onMessage(received(session, "ok", "E5"));
        DeduplicatingSessionListener failingDecorator = decorate(session, failing, settings().build());

        assertThatThrownBy(() -> failingDecorator.onMessage(received(session, "fails", "E6"))).isSameAs(failure);
        assertThat(session.calls()).containsExactly("acknowledge");
        assertThat(stateOf("E6")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldLeaveAcknowledgementToSessionAndRethrowFailureWhenAutoAcknowledge() throws Exception {
        assertSessionSettlesItself(Session.AUTO_ACKNOWLEDGE, "AUTO_ACKNOWLEDGE");
    }

    @Test
    void shouldLeaveAcknowledgementToSessionAndRethrowFailureWhenDupsOkAcknowledge() throws Exception {
        assertSessionSettlesItself(Session.DUPS_OK_ACKNOWLEDGE, "DUPS_OK_ACKNOWLEDGE");
    }

    @Test
    void shouldSendDeadLetterCopyBeforeAcknowledgingWhenIdIsBlank() throws Exception {
        RecordingSession session = new RecordingSession(false, Session.CLIENT_ACKNOWLEDGE);
        DeduplicatingSessionListener decorator = decorate(session, listener, settings().build())
                .withDeadLetterQueue("DLQ.orders");

        decorator.onMessage(received(session, "blank", " "));

        assertThat(handled).isEmpty();
        assertThat(session.calls()).containsExactly("send", "acknowledge");
        assertThat(session.sent().get(0).message().getStringProperty(
                DeduplicatingMessageListener.REJECT_REASON_PROPERTY)).isEqualTo("rejected-id: event id BLANK "
                + "(blank value)");
        assertThat(decorator.deadLetterQueue()).isEqualTo("DLQ.orders");
    }

    @Test
    void shouldCommitCopyWithConsumptionWhenIdIsRejectedInTransactedSession() throws Exception {
        RecordingSession session = new RecordingSession();

        decorate(session, listener, settings().build()).onMessage(received(session, "too long", "x".repeat(300)));

        assertThat(session.calls()).containsExactly("send", "commit");
    }

    @Test
    void shouldRollBackWhenAnotherDeliveryHoldsTheClaimInTransactedSession() throws Exception {
        RecordingSession session = new RecordingSession();
        DedupSettings settings = settings().inFlightWait(Duration.ZERO).build();
        store.claim(settings.keyFor("E7"), OwnerToken.random(), null, Duration.ofSeconds(30));

        decorate(session, listener, settings).onMessage(received(session, "copy", "E7"));

        assertThat(handled).isEmpty();
        assertThat(session.calls()).containsExactly("rollback");
        assertThat(stateOf("E7")).isEqualTo(ClaimState.IN_PROGRESS);
    }

    @Test
    void shouldThrowRequeueWhenAnotherDeliveryHoldsTheClaimInAutoAcknowledge() throws Exception {
        RecordingSession session = new RecordingSession(false, Session.AUTO_ACKNOWLEDGE);
        DedupSettings settings = settings().inFlightWait(Duration.ZERO).build();
        store.claim(settings.keyFor("E8"), OwnerToken.random(), null, Duration.ofSeconds(30));
        DeduplicatingSessionListener decorator = decorate(session, listener, settings);

        assertThatThrownBy(() -> decorator.onMessage(received(session, "copy", "E8")))
                .isInstanceOfSatisfying(DeliveryRequeuedException.class,
                        e -> assertThat(e.outcome()).isEqualTo(DeliveryOutcome.IN_FLIGHT_REQUEUED));
        assertThat(session.calls()).isEmpty();
    }

    @Test
    void shouldRollBackThenPropagateErrorWhenListenerThrowsError() throws Exception {
        RecordingSession session = new RecordingSession();
        AssertionError error = new AssertionError("handler broke");
        DeduplicatingSessionListener decorator = decorate(session, message -> {
            throw error;
        }, settings().build());

        assertThatThrownBy(() -> decorator.onMessage(received(session, "b", "E9"))).isSameAs(error);
        assertThat(session.calls()).containsExactly("rollback");
        assertThat(stateOf("E9")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldWarnWithoutThrowingWhenCommitFails() throws Exception {
        RecordingSession session = new RecordingSession();
        session.failOn("commit");
        DeduplicatingSessionListener decorator = decorate(session, listener, settings().build());
        ActiveMQTextMessage message = received(session, "b", "E10");

        String log = CapturedLogs.during(DeduplicatingSessionListener.class, () -> decorator.onMessage(message));

        assertThat(stateOf("E10")).isEqualTo(ClaimState.COMPLETED);
        assertThat(log).isEqualTo("WARN io.github.listenerdedup.jms.DeduplicatingSessionListener - Could not "
                + "settle " + JmsText.describe(message) + " (processed) in a transacted session: "
                + "jakarta.jms.JMSException: commit failed: the connection is closed; the broker redelivers it, and "
                + "its claim decides again");
    }

    @Test
    void shouldLogErrorWhenListenerFailsOnTopicInDupsOkAcknowledge() throws Exception {
        RecordingSession session = new RecordingSession(false, Session.DUPS_OK_ACKNOWLEDGE);
        DeduplicatingSessionListener decorator = decorate(session, failing, settings().build());
        ActiveMQTextMessage message = received(session, "fails", "E13");
        message.setDestination(new ActiveMQTopic("events"));

        String log = CapturedLogs.during(DeduplicatingSessionListener.class,
                () -> assertThatThrownBy(() -> decorator.onMessage(message)).isSameAs(failure));

        assertThat(log).contains("ERROR io.github.listenerdedup.jms.DeduplicatingSessionListener - Cannot hand "
                + "message " + message.getJMSMessageID() + " from topic 'events' back for redelivery: ActiveMQ "
                + "acknowledges DUPS_OK_ACKNOWLEDGE deliveries from a topic in batches and does not redeliver one "
                + "whose listener threw; use AUTO_ACKNOWLEDGE, CLIENT_ACKNOWLEDGE or a transacted session on topics");
    }

    @Test
    void shouldRefuseSessionWhenAcknowledgeModeIsUnknown() {
        RecordingSession session = new RecordingSession(false, 101);

        assertThatThrownBy(() -> decorate(session, listener, settings().build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Session acknowledge mode 101 is not supported for deduplication: only transacted "
                        + "sessions, AUTO_ACKNOWLEDGE, DUPS_OK_ACKNOWLEDGE, CLIENT_ACKNOWLEDGE and ActiveMQ's "
                        + "INDIVIDUAL_ACKNOWLEDGE (4) are");
    }

    @Test
    void shouldWarnAtCreationWhenPropertyNameIsNotJavaIdentifier() {
        RecordingSession session = new RecordingSession(false, Session.CLIENT_ACKNOWLEDGE);

        String log = CapturedLogs.during(DeduplicatingSessionListener.class,
                () -> decorateUnchecked(session, settings().headerName("event-id").build()));

        assertThat(log).startsWith("WARN io.github.listenerdedup.jms.DeduplicatingSessionListener - Event id "
                + "property 'event-id' of group 'billing' on a CLIENT_ACKNOWLEDGE session is not a Java identifier: "
                + "JMS message selectors cannot refer to it")
                .contains("INFO io.github.listenerdedup.jms.DeduplicatingSessionListener - Deduplicating the "
                        + "listener on a CLIENT_ACKNOWLEDGE session for group 'billing': event id from property "
                        + "'event-id'");
    }

    @Test
    void shouldReadIdWithResolverWhenGiven() throws Exception {
        RecordingSession session = new RecordingSession();
        DeduplicatingSessionListener decorator = DeduplicatingSessionListener.of(session.session(), listener,
                new Deduplicator(settings().build(), store), Message::getJMSCorrelationID);
        ActiveMQTextMessage message = received(session, "by correlation id", "ignored");
        message.setJMSCorrelationID("C1");

        decorator.onMessage(message);

        assertThat(stateOf("C1")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldReleaseClaimAndRollBackWithoutCommitWhenSessionListenerRollsBackItself() throws Exception {
        RecordingSession session = new RecordingSession();
        SessionMessageListener rollingBack = (message, listenerSession) -> listenerSession.rollback();
        DeduplicatingSessionListener decorator = DeduplicatingSessionListener.of(session.session(), rollingBack,
                new Deduplicator(settings().build(), store));

        decorator.onMessage(received(session, "body", "E13"));

        assertThat(session.calls()).as("the listener's rollback, then the decorator's")
                .containsExactly("rollback", "rollback");
        assertThat(stateOf("E13")).isEqualTo(ClaimState.RELEASED);
        assertThat(decorator.delegate()).isSameAs(rollingBack);
    }

    @Test
    void shouldRollBackLastAttemptAndCommitCopyOfRedeliveryWhenLastAttemptFailsInTransactedSession()
            throws Exception {
        RecordingSession session = new RecordingSession();
        DeduplicatingSessionListener decorator = decorate(session, failing, settings().maxAttempts(1).build());
        ActiveMQTextMessage message = received(session, "body", "E14");

        decorator.onMessage(message);
        decorator.onMessage(message);

        assertThat(session.calls()).containsExactly("rollback", "send", "commit");
        assertThat(session.sent()).singleElement().extracting(sent -> property(sent.message()))
                .isEqualTo("max-attempts: the listener failed its last allowed attempt "
                        + "(max-attempts 1) at event id E14");
        assertThat(stateOf("E14")).isEqualTo(ClaimState.ABSENT);
    }

    private static String property(Message message) {
        try {
            return message.getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertSessionSettlesItself(int mode, String modeName) throws Exception {
        RecordingSession session = new RecordingSession(false, mode);
        DeduplicatingSessionListener decorator = decorate(session, listener, settings().build());
        decorator.onMessage(received(session, "ok", "E11"));
        DeduplicatingSessionListener failingDecorator = decorate(session, failing, settings().build());

        assertThatThrownBy(() -> failingDecorator.onMessage(received(session, "fails", "E12"))).isSameAs(failure);
        assertThat(session.calls()).isEmpty();
        assertThat(stateOf("E11")).isEqualTo(ClaimState.COMPLETED);
        assertThat(stateOf("E12")).isEqualTo(ClaimState.RELEASED);
        assertThat(decorator.acknowledgeMode()).isEqualTo(modeName);
    }

    private DeduplicatingSessionListener decorate(RecordingSession session, MessageListener delegate,
            DedupSettings settings) throws JMSException {
        return DeduplicatingSessionListener.of(session.session(), delegate, new Deduplicator(settings, store));
    }

    private void decorateUnchecked(RecordingSession session, DedupSettings settings) {
        try {
            decorate(session, listener, settings);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ActiveMQTextMessage received(RecordingSession session, String body, String eventId)
            throws JMSException {
        return session.acknowledgedHere(JmsFakes.received(QUEUE, body, Map.of("eventId", eventId)));
    }

    private static DedupSettings.Builder settings() {
        return DedupSettings.builder().group("billing");
    }

    private ClaimState stateOf(String eventId) {
        return store.inspect(settings().build().keyFor(eventId)).state();
    }

    private static String textOf(Message message) {
        try {
            return ((TextMessage) message).getText();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}

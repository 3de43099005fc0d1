package io.github.listenerdedup.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.FingerprintMode;
import io.github.listenerdedup.core.MissingIdPolicy;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.jms.JmsFakes.RecordingSession;
import io.github.listenerdedup.jms.JmsFakes.Sent;
import io.github.listenerdedup.store.memory.InMemoryClaimStore;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.activemq.command.ActiveMQBytesMessage;
import org.apache.activemq.command.ActiveMQMapMessage;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.command.MessageId;
import org.junit.jupiter.api.Test;
import org.springframework.jms.listener.SessionAwareMessageListener;
import org.springframework.jms.listener.adapter.ListenerExecutionFailedException;

class DeduplicatingMessageListenerTest {

    private static final String QUEUE = "orders";

    private final InMemoryClaimStore store = new InMemoryClaimStore();
    private final RecordingSession session = new RecordingSession();
    private final List<String> handled = new ArrayList<>();
    private final MessageListener listener = message -> handled.add(textOf(message));

    @Test
    void shouldRunListenerOnceWhenEventIsDeliveredTwice() throws Exception {
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(listener, deduplicator());

        decorator.onMessage(JmsFakes.received(QUEUE, "first", Map.of("eventId", "E1")), session.session());
        decorator.onMessage(JmsFakes.received(QUEUE, "second", Map.of("eventId", "E1")), session.session());

        assertThat(handled).containsExactly("first");
        assertThat(stateOf("E1")).isEqualTo(ClaimState.COMPLETED);
        assertThat(session.sent()).isEmpty();
    }

    @Test
    void shouldTreatLongAndStringAsOneIdWhenNumbersArrive() throws Exception {
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(listener, deduplicator());

        decorator.onMessage(JmsFakes.received(QUEUE, "as text", Map.of("eventId", "12345")), session.session());
        decorator.onMessage(JmsFakes.received(QUEUE, "as long", Map.of("eventId", 12345L)), session.session());

        assertThat(handled).containsExactly("as text");
        assertThat(stateOf("12345")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldRollBackWithoutRunningWhenAnotherDeliveryHoldsTheClaim() throws Exception {
        DedupSettings settings = settings().inFlightWait(Duration.ZERO).build();
        store.claim(settings.keyFor("E2"), OwnerToken.random(), null, Duration.ofSeconds(30));
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(listener, deduplicator(settings));

        assertThatThrownBy(() -> decorator.onMessage(JmsFakes.received(QUEUE, "copy", Map.of("eventId", "E2")),
                session.session()))
                .isInstanceOfSatisfying(DeliveryRequeuedException.class,
                        e -> assertThat(e.outcome()).isEqualTo(DeliveryOutcome.IN_FLIGHT_REQUEUED))
                .hasMessageStartingWith("Requeued message ID:test-host-1:1:1:1:")
                .hasMessageEndingWith(" from queue 'orders' so that the broker redelivers it (in-flight-requeued)");
        assertThat(handled).isEmpty();
        assertThat(stateOf("E2")).isEqualTo(ClaimState.IN_PROGRESS);
    }

    @Test
    void shouldPropagateSameExceptionAndReleaseClaimWhenListenerThrows() throws Exception {
        IllegalStateException failure = new IllegalStateException("handler failed");
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(
                (MessageListener) message -> {
                    throw failure;
                }, deduplicator());

        assertThatThrownBy(() -> decorator.onMessage(JmsFakes.received(QUEUE, "b", Map.of("eventId", "E3")),
                session.session())).isSameAs(failure);
        assertThat(stateOf("E3")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldPropagateErrorAndReleaseClaimWhenListenerThrowsError() throws Exception {
        AssertionError failure = new AssertionError("handler broke");
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(
                (MessageListener) message -> {
                    throw failure;
                }, deduplicator());

        assertThatThrownBy(() -> decorator.onMessage(JmsFakes.received(QUEUE, "b", Map.of("eventId", "E4")),
                session.session())).isSameAs(failure);
        assertThat(stateOf("E4")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldPassSessionViewAndPropagateJmsExceptionWhenSessionAwareListenerThrows() throws Exception {
        JMSException failure = new JMSException("listener could not reply");
        List<Object> sessions = new ArrayList<>();
        SessionAwareMessageListener<Message> sessionAware = (message, listenerSession) -> {
            sessions.add(listenerSession);
            throw failure;
        };
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(sessionAware,
                deduplicator());

        assertThatThrownBy(() -> decorator.onMessage(JmsFakes.received(QUEUE, "b", Map.of("eventId", "E5")),
                session.session())).isSameAs(failure);
        assertThat(sessions).singleElement().isNotSameAs(session.session()).isInstanceOf(Session.class)
                .hasToString("listener view of recording session");
        assertThat(stateOf("E5")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldWrapCheckedExceptionKeepingCauseWhenListenerThrowsOne() throws Exception {
        Exception failure = new IOException("disk full");
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(
                (MessageListener) message -> throwUnchecked(failure), deduplicator());

        assertThatThrownBy(() -> decorator.onMessage(JmsFakes.received(QUEUE, "b", Map.of("eventId", "E6")),
                session.session()))
                .isInstanceOf(ListenerExecutionFailedException.class)
                .hasMessageStartingWith("Listener threw a checked exception for message ID:test-host-1:1:1:1:")
                .hasCause(failure);
        assertThat(stateOf("E6")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldSendActiveMqCopyToDeadLetterQueueWhenIdIsBlank() throws Exception {
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(listener, deduplicator());
        ActiveMQTextMessage original = JmsFakes.received(QUEUE, "blank id", Map.of("eventId", "  ", "tenant", "t1"));
        String originalId = original.getJMSMessageID();

        decorator.onMessage(original, session.session());

        assertThat(handled).isEmpty();
        assertThat(store.size()).isZero();
        Sent sent = onlySent();
        assertThat(sent.destination()).isEqualTo(new ActiveMQQueue("ActiveMQ.DLQ"));
        assertThat(sent.deliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(sent.timeToLive()).isZero();
        ActiveMQTextMessage copy = (ActiveMQTextMessage) sent.message();
        assertThat(copy).isNotSameAs(original);
        assertThat(copy.getText()).isEqualTo("blank id");
        assertThat(copy.getStringProperty("tenant")).isEqualTo("t1");
        assertThat(copy.getOriginalDestination()).isEqualTo(new ActiveMQQueue(QUEUE));
        assertThat(copy.getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY))
                .isEqualTo("rejected-id: event id BLANK (blank value)");
        assertThat(copy.getStringProperty(ActiveMQMessage.DLQ_DELIVERY_FAILURE_CAUSE_PROPERTY))
                .isEqualTo("rejected-id: event id BLANK (blank value)");
        assertThat(original.getJMSMessageID()).isEqualTo(originalId);
        assertThat(original.getDestination()).isEqualTo(new ActiveMQQueue(QUEUE));
    }

    @Test
    void shouldSendToConfiguredQueueAndNameTooLongIdWhenIdExceedsMaximum() throws Exception {
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(listener, deduplicator())
                .withDeadLetterQueue("DLQ.orders");

        decorator.onMessage(JmsFakes.received(QUEUE, "long", Map.of("eventId", "x".repeat(2_000))),
                session.session());

        Sent sent = onlySent();
        assertThat(sent.destination()).isEqualTo(new ActiveMQQueue("DLQ.orders"));
        assertThat(sent.message().getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY))
                .isEqualTo("rejected-id: event id TOO_LONG (value of 2000 characters, more than the maximum of 256)");
        assertThat(store.size()).isZero();
    }

    @Test
    void shouldRejectAsUnreadableWhenResolverThrows() throws Exception {
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(listener, deduplicator(),
                message -> {
                    throw new JMSException("body is not JSON");
                });

        decorator.onMessage(JmsFakes.received(QUEUE, "{", Map.of()), session.session());

        assertThat(handled).isEmpty();
        assertThat(onlySent().message().getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY))
                .isEqualTo("rejected-id: event id UNREADABLE (the id resolver failed: "
                        + "jakarta.jms.JMSException: body is not JSON)");
    }

    @Test
    void shouldCopyThroughJmsApiWhenMessageIsOfAnotherProvider() throws Exception {
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(listener, deduplicator());
        TextMessage original = JmsFakes.foreign(QUEUE, "foreign body", Map.of("tenant", "t2", "JMSXGroupSeq", 1));

        decorator.onMessage(original, session.session());

        Message copy = onlySent().message();
        assertThat(((TextMessage) copy).getText()).isEqualTo("foreign body");
        assertThat(copy.getStringProperty("tenant")).isEqualTo("t2");
        assertThat(copy.getObjectProperty("JMSXGroupSeq")).as("provider's own JMSX properties stay behind")
                .isEqualTo(0);
        assertThat(copy.getStringProperty(DeduplicatingMessageListener.ORIGINAL_DESTINATION_PROPERTY))
                .isEqualTo("queue 'orders'");
        assertThat(copy.getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY))
                .isEqualTo("rejected-id: event id MISSING (no value)");
    }

    @Test
    void shouldUseJmsMessageIdWhenPolicyIsMessageId() throws Exception {
        DedupSettings settings = settings().missingId(MissingIdPolicy.MESSAGE_ID).build();
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(listener, deduplicator(settings));
        ActiveMQTextMessage message = JmsFakes.received(QUEUE, "no id", Map.of());

        decorator.onMessage(message, session.session());
        decorator.onMessage(message, session.session());

        assertThat(handled).containsExactly("no id");
        assertThat(store.inspect(settings.keyFor(message.getJMSMessageID())).state())
                .isEqualTo(ClaimState.COMPLETED);
        assertThat(session.sent()).isEmpty();
    }

    @Test
    void shouldCopyToDeadLetterQueueWithoutRunningWhenSameIdArrivesWithOtherText() throws Exception {
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(listener,
                deduplicator(settings().fingerprint(FingerprintMode.SHA_256).build()));

        decorator.onMessage(JmsFakes.received(QUEUE, "first", Map.of("eventId", "E7")), session.session());
        decorator.onMessage(JmsFakes.received(QUEUE, "first", Map.of("eventId", "E7")), session.session());
        decorator.onMessage(JmsFakes.received(QUEUE, "other", Map.of("eventId", "E7")), session.session());

        assertThat(handled).containsExactly("first");
        assertThat(((TextMessage) onlySent().message()).getText()).isEqualTo("other");
        assertThat(onlySent().message().getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY))
                .isEqualTo("conflict: event id E7 was handled before with other content");
    }

    @Test
    void shouldFingerprintBytesAndRewindThemWhenBodyIsBytes() throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        MessageListener readsBytes = message -> bodies.add(bytesOf(message));
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(readsBytes,
                deduplicator(settings().fingerprint(FingerprintMode.SHA_256).build()));

        decorator.onMessage(receivedBytes(new byte[] {1, 2, 3}, "E8"), session.session());
        decorator.onMessage(receivedBytes(new byte[] {1, 2, 4}, "E8"), session.session());

        assertThat(bodies).containsExactly(new byte[] {1, 2, 3});
        assertThat(store.inspect(settings().build().keyFor("E8")).fingerprint()).hasSize(43);
        assertThat(onlySent().message().getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY))
                .isEqualTo("conflict: event id E8 was handled before with other content");
    }

    @Test
    void shouldSkipWithoutFingerprintWhenMessageHasNoTextOrBytes() throws Exception {
        MessageListener counting = message -> handled.add("map");
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(counting,
                deduplicator(settings().fingerprint(FingerprintMode.SHA_256).build()));

        decorator.onMessage(receivedMap("a", "E9"), session.session());
        decorator.onMessage(receivedMap("b", "E9"), session.session());

        assertThat(handled).containsExactly("map");
        assertThat(store.inspect(settings().build().keyFor("E9")).fingerprint()).isNull();
        assertThat(session.sent()).isEmpty();
    }

    @Test
    void shouldRollBackLastAttemptAndCopyItsRedeliveryWhenLastAttemptFailsInTransactedSession() throws Exception {
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(sendingThenFailing(),
                deduplicator(settings().maxAttempts(2).build()));
        ActiveMQTextMessage message = JmsFakes.received(QUEUE, "b", Map.of("eventId", "E10"));

        assertThatThrownBy(() -> decorator.onMessage(message, session.session())).hasMessage("handler failed");
        assertThatThrownBy(() -> decorator.onMessage(message, session.session()))
                .isInstanceOfSatisfying(DeliveryHandedBackException.class,
                        e -> assertThat(e.outcome()).isEqualTo(DeliveryOutcome.MAX_ATTEMPTS))
                .hasMessageEndingWith(" from queue 'orders' so that its work is rolled back; its redelivery goes to "
                        + "the dead-letter queue");
        assertThat(session.sent()).as("only the listener's own sends").hasSize(2);
        decorator.onMessage(message, session.session());

        assertThat(handled).as("the redelivery does not run the listener").hasSize(2);
        assertThat(stateOf("E10")).isEqualTo(ClaimState.ABSENT);
        Sent copy = session.sent().get(2);
        assertThat(copy.destination()).isEqualTo(new ActiveMQQueue("ActiveMQ.DLQ"));
        assertThat(copy.message().getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY))
                .isEqualTo("max-attempts: the listener failed its last allowed attempt "
                        + "(max-attempts 2) at event id E10");
    }

    @Test
    void shouldCopyToDeadLetterQueueAtOnceWhenLastAttemptFailsUnderClientAcknowledge() throws Exception {
        RecordingSession clientSession = new RecordingSession(false, Session.CLIENT_ACKNOWLEDGE);
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(sendingThenFailing(),
                deduplicator(settings().maxAttempts(1).build()));

        decorator.onMessage(JmsFakes.received(QUEUE, "b", Map.of("eventId", "E10b")), clientSession.session());

        assertThat(clientSession.sent()).hasSize(2);
        assertThat(clientSession.sent().get(1).message()
                .getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY))
                .isEqualTo("max-attempts: the listener failed its last allowed attempt "
                        + "(max-attempts 1) at event id E10b");
    }

    @Test
    void shouldReleaseClaimAndHandBackWhenSessionAwareListenerRollsBackItself() throws Exception {
        SessionAwareMessageListener<Message> rollingBack = (message, listenerSession) -> {
            handled.add(textOf(message));
            listenerSession.rollback();
        };
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(rollingBack, deduplicator());

        assertThatThrownBy(() -> decorator.onMessage(JmsFakes.received(QUEUE, "b", Map.of("eventId", "E12")),
                session.session()))
                .isInstanceOfSatisfying(DeliveryHandedBackException.class,
                        e -> assertThat(e.outcome()).isEqualTo(DeliveryOutcome.RELEASED))
                .hasMessageStartingWith("The listener called rollback() on its session for message ID:");
        assertThat(session.calls()).as("passed on to the session").containsExactly("rollback");
        assertThat(stateOf("E12")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldReleaseClaimAndHandBackWhenSessionAwareListenerRecoversItself() throws Exception {
        RecordingSession clientSession = new RecordingSession(false, Session.CLIENT_ACKNOWLEDGE);
        SessionAwareMessageListener<Message> recovering = (message, listenerSession) -> listenerSession.recover();
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(recovering, deduplicator());

        assertThatThrownBy(() -> decorator.onMessage(JmsFakes.received(QUEUE, "b", Map.of("eventId", "E13")),
                clientSession.session())).isInstanceOf(DeliveryHandedBackException.class)
                .hasMessageContaining("called recover() on its session");
        assertThat(clientSession.calls()).containsExactly("recover");
        assertThat(stateOf("E13")).isEqualTo(ClaimState.RELEASED);
    }

    @Test
    void shouldKeepDelegateSubscriptionNameWhenDecorating() {
        DeduplicatingMessageListener decorator = new DeduplicatingMessageListener(listener, deduplicator());

        assertThat(decorator.getSubscriptionName()).isEqualTo(listener.getClass().getName());
    }

    @Test
    void shouldRefuseDelegateWhenItIsNoListener() {
        assertThatThrownBy(() -> new DeduplicatingMessageListener("not a listener", deduplicator()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delegate must be a jakarta.jms.MessageListener or a SessionAwareMessageListener, but "
                        + "was java.lang.String");
    }

    private static DedupSettings.Builder settings() {
        return DedupSettings.builder().group("billing");
    }

    private Deduplicator deduplicator() {
        return deduplicator(settings().build());
    }

    private Deduplicator deduplicator(DedupSettings settings) {
        return new Deduplicator(settings, store);
    }

    private ClaimState stateOf(String eventId) {
        return store.inspect(settings().build().keyFor(eventId)).state();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void throwUnchecked(Throwable failure) throws T {
        throw (T) failure;
    }

    private SessionAwareMessageListener<Message> sendingThenFailing() {
        return (message, listenerSession) -> {
            handled.add(textOf(message));
            try (MessageProducer producer = listenerSession.createProducer(listenerSession.createQueue("audit"))) {
                producer.send(message, DeliveryMode.PERSISTENT, 4, 0);
            }
            throw new IllegalStateException("handler failed");
        };
    }

    private Sent onlySent() {
        assertThat(session.sent()).hasSize(1);
        return session.sent().get(0);
    }

    private static ActiveMQBytesMessage receivedBytes(byte[] body, String eventId) throws JMSException {
        ActiveMQBytesMessage message = new ActiveMQBytesMessage();
        message.writeBytes(body);
        message.setStringProperty("eventId", eventId);
        message.setDestination(new ActiveMQQueue(QUEUE));
        message.setMessageId(new MessageId("ID:test-host-2:1:1:1", body[2]));
        message.reset();
        message.setReadOnlyProperties(true);
        return message;
    }

    private static ActiveMQMapMessage receivedMap(String value, String eventId) throws JMSException {
        ActiveMQMapMessage message = new ActiveMQMapMessage();
        message.setString("value", value);
        message.setStringProperty("eventId", eventId);
        message.setDestination(new ActiveMQQueue(QUEUE));
        message.setMessageId(new MessageId("ID:test-host-3:1:1:1", value.length()));
        return message;
    }

    private static byte[] bytesOf(Message message) {
        try {
            BytesMessage bytes = (BytesMessage) message;
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return body;
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String textOf(Message message) {
        try {
            return ((TextMessage) message).getText();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}

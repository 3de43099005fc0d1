package io.github.listenerdedup.jms;

import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.EventIdResolver;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decorates a plain JMS {@link MessageListener}, set on a consumer of the ActiveMQ client without Spring, so that it
 * runs once per event id and consumer group. It is given the consumer's {@link Session} and settles each delivery
 * itself, with the decisions of {@link DeduplicatingMessageListener}: the id, fingerprints, holds, releases and
 * dead-letter copies are the same.
 *
 * <pre>{@code
 * Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
 * MessageConsumer consumer = session.createConsumer(session.createQueue("orders"));
 * consumer.setMessageListener(DeduplicatingSessionListener.of(session, listener, deduplicator));
 * }</pre>
 *
 * <p>How each acknowledge mode settles a delivery:
 * <table>
 *   <caption>Settlement by session mode</caption>
 *   <tr><th>session</th><th>handled, duplicate or rejected</th><th>failed or requeued</th></tr>
 *   <tr><td>transacted</td><td>{@code commit()}</td><td>{@code rollback()}</td></tr>
 *   <tr><td>{@code CLIENT_ACKNOWLEDGE}</td><td>{@code acknowledge()}</td><td>{@code recover()}</td></tr>
 *   <tr><td>ActiveMQ's {@code INDIVIDUAL_ACKNOWLEDGE}</td><td>{@code acknowledge()}</td><td>throws; ActiveMQ
 *       redelivers</td></tr>
 *   <tr><td>{@code AUTO_ACKNOWLEDGE}, {@code DUPS_OK_ACKNOWLEDGE}</td><td>returns; the session
 *       acknowledges</td><td>throws; ActiveMQ redelivers</td></tr>
 * </table>
 * On a topic, ActiveMQ acknowledges {@code DUPS_OK_ACKNOWLEDGE} deliveries in batches and never redelivers one whose
 * listener threw, so a failure there is logged at ERROR: use another mode on topics.
 * Redeliveries follow the connection factory's {@code RedeliveryPolicy}: after {@code maximumRedeliveries} the
 * client hands the message to the broker's dead-letter queue. A rejected delivery (unusable id, same id with other
 * content, last of {@code maxAttempts}) is copied to the dead-letter queue in this session first: in a transacted
 * session one commit covers the copy and the consumption; in the other modes a lost acknowledgement can leave two
 * copies, never none. Where this decorator settles a failure itself (transacted, client), the listener's exception
 * ends here after the one WARN line that names the id and {@code JMSXDeliveryCount}; a {@link Error} always
 * propagates after the settlement. When the settlement itself fails (the connection dropped), a WARN says so and the
 * broker redelivers the message later, where a completed claim skips it.
 *
 * <p>The decorator owns the settlement: the listener must not commit or acknowledge. It may send through the
 * session, and in a transacted session its sends are committed with the consumption. A listener that wants to hand
 * a message back without throwing implements {@link SessionMessageListener} and is handed a view of the session: a
 * {@code rollback()} or {@code recover()} through that view is seen, the claim is released instead of completed, and
 * the delivery is settled as a failure. A plain {@link MessageListener} that calls them on a session it holds itself
 * is not seen: its claim is completed, and the redelivery is skipped as a duplicate, so such a listener must throw
 * instead. When the last of {@code maxAttempts} fails in a transacted session, or is handed back, its work is rolled
 * back rather than committed with the dead-letter copy, and its redelivery is copied to the dead-letter queue in a
 * transaction of its own, as {@link DeduplicatingMessageListener} describes.
 * {@code CLIENT_ACKNOWLEDGE}'s {@code acknowledge()} covers every message the session has received, and its
 * {@code recover()} every unacknowledged one: ActiveMQ hands a session's messages to its listeners one at a time, and
 * this decorator settles each before returning, so both cover the current message alone, provided that every
 * consumer of the session is decorated so (or settles before returning) and the session makes no synchronous
 * {@code receive()} calls. Give each decorated consumer a session of its own.
 */
public final class DeduplicatingSessionListener implements MessageListener {

    private static final Logger log = LoggerFactory.getLogger(DeduplicatingSessionListener.class);

    private final Session session;
    private final SessionAcknowledgement acknowledgement;
    private final Object delegate;
    private final JmsDeliveryProcessor processor;

    private DeduplicatingSessionListener(Session session, SessionAcknowledgement acknowledgement,
            Object delegate, JmsDeliveryProcessor processor) {
        this.session = session;
        this.acknowledgement = acknowledgement;
        this.delegate = delegate;
        this.processor = processor;
    }

    /**
     * Decorates a listener that reads the id from the deduplicator's header name and copies rejected deliveries to
     * {@value DeduplicatingMessageListener#DEFAULT_DEAD_LETTER_QUEUE}. A header name that message selectors cannot
     * use earns a WARN.
     *
     * @param session      the session of the consumer the listener is set on
     * @param delegate     the listener
     * @param deduplicator decides each delivery
     * @return the decorator
     * @throws JMSException          when the session cannot say its acknowledge mode
     * @throws IllegalStateException when the acknowledge mode is not supported
     */
    public static DeduplicatingSessionListener of(Session session, MessageListener delegate,
            Deduplicator deduplicator) throws JMSException {
        return create(session, delegate, deduplicator, null);
    }

    /**
     * Decorates a listener that reads the id with a resolver: another property, a field of the body.
     *
     * @param session      the session of the consumer the listener is set on
     * @param delegate     the listener
     * @param deduplicator decides each delivery
     * @param idResolver   reads the raw id value of a message
     * @return the decorator
     * @throws JMSException          when the session cannot say its acknowledge mode
     * @throws IllegalStateException when the acknowledge mode is not supported
     */
    public static DeduplicatingSessionListener of(Session session, MessageListener delegate,
            Deduplicator deduplicator, EventIdResolver<Message> idResolver) throws JMSException {
        return create(session, delegate, deduplicator, Objects.requireNonNull(idResolver, "idResolver"));
    }

    /**
     * Decorates a listener that is handed a view of the session, as {@link #of(Session, MessageListener, Deduplicator)}
     * does a plain one: a {@code rollback()} or {@code recover()} it calls through the view hands the message back,
     * and its claim is released instead of completed.
     *
     * @param session      the session of the consumer the listener is set on
     * @param delegate     the listener
     * @param deduplicator decides each delivery
     * @return the decorator
     * @throws JMSException          when the session cannot say its acknowledge mode
     * @throws IllegalStateException when the acknowledge mode is not supported
     */
    public static DeduplicatingSessionListener of(Session session, SessionMessageListener delegate,
            Deduplicator deduplicator) throws JMSException {
        return create(session, delegate, deduplicator, null);
    }

    /**
     * Decorates a listener that is handed a view of the session, reading the id with a resolver, as
     * {@link #of(Session, MessageListener, Deduplicator, EventIdResolver)} does for a plain one.
     *
     * @see #of(Session, SessionMessageListener, Deduplicator)
     */
    public static DeduplicatingSessionListener of(Session session, SessionMessageListener delegate,
            Deduplicator deduplicator, EventIdResolver<Message> idResolver) throws JMSException {
        return create(session, delegate, deduplicator, Objects.requireNonNull(idResolver, "idResolver"));
    }

    /**
     * The same decorator copying rejected deliveries to another queue.
     *
     * @param queueName the queue's name; default {@value DeduplicatingMessageListener#DEFAULT_DEAD_LETTER_QUEUE}
     * @return a new decorator
     * @throws IllegalArgumentException when the name is blank
     */
    public DeduplicatingSessionListener withDeadLetterQueue(String queueName) {
        return new DeduplicatingSessionListener(session, acknowledgement, delegate,
                processor.withDeadLetterQueue(queueName));
    }

    /** @return the decorated listener: a {@link MessageListener} or a {@link SessionMessageListener} */
    public Object delegate() {
        return delegate;
    }

    /** @return the deduplicator that decides each delivery */
    public Deduplicator deduplicator() {
        return processor.deduplicator();
    }

    /** @return the name of the queue rejected deliveries are copied to */
    public String deadLetterQueue() {
        return processor.deadLetterQueue();
    }

    /** @return the session's acknowledge mode, as the JMS constants name it, or {@code transacted} */
    public String acknowledgeMode() {
        return acknowledgement.description();
    }

    /**
     * Decides one delivery and settles it as described on the class.
     *
     * @param message the delivery
     */
    @Override
    public void onMessage(Message message) {
        DeliveryOutcome outcome;
        try {
            outcome = processor.process(message, session, view -> invokeDelegate(message, view));
        } catch (Throwable failure) {
            giveBack(message, failure);
            return;
        }
        switch (outcome.settlement()) {
            case ACK, REJECT -> consume(message, outcome);
            case REQUEUE -> giveBack(message, DeliveryRequeuedException.of(message, outcome));
            case FAIL -> giveBack(message, new IllegalStateException("The deduplicator settled "
                    + JmsText.describe(message) + " as failed without a failure: " + outcome));
        }
    }

    @Override
    public String toString() {
        return "DeduplicatingSessionListener{group=" + deduplicator().settings().group() + ", session="
                + acknowledgement.description() + ", delegate=" + delegate + "}";
    }

    private void invokeDelegate(Message message, ListenerSession listenerSession) throws JMSException {
        if (delegate instanceof SessionMessageListener sessionAware) {
            sessionAware.onMessage(message, listenerSession.view());
        } else {
            ((MessageListener) delegate).onMessage(message);
        }
    }

    private static DeduplicatingSessionListener create(Session session, Object delegate,
            Deduplicator deduplicator, EventIdResolver<Message> idResolver) throws JMSException {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(delegate, "delegate");
        SessionAcknowledgement acknowledgement = SessionAcknowledgement.of(session);
        checkAtStartup(session, acknowledgement, deduplicator.settings(), idResolver == null);
        JmsDeliveryProcessor processor = new JmsDeliveryProcessor(log, deduplicator, idResolver,
                DeduplicatingMessageListener.DEFAULT_DEAD_LETTER_QUEUE);
        return new DeduplicatingSessionListener(session, acknowledgement, delegate, processor);
    }

    private static void checkAtStartup(Session session, SessionAcknowledgement acknowledgement,
            DedupSettings settings, boolean idFromHeader) {
        String where = "a " + acknowledgement.description() + " session";
        if (idFromHeader) {
            PropertyNames.warnIfNotSelectorIdentifier(log, settings.headerName(), settings.group(), where);
        }
        if (ActiveMqClient.PRESENT) {
            ActiveMqDuplicateCheck.warnIfCheckingOverFailover(log, session, where);
        }
        InstallationLog.installed(log, where, settings, idFromHeader);
    }

    private void consume(Message message, DeliveryOutcome outcome) {
        try {
            acknowledgement.consume(session, message);
        } catch (JMSException | RuntimeException e) {
            log.warn("Could not settle {} ({}) in a {} session: {}; the broker redelivers it, and its claim decides "
                    + "again", JmsText.describe(message), outcome.tag(), acknowledgement.description(), e.toString());
        }
    }

    private void giveBack(Message message, Throwable failure) {
        if (acknowledgement.redeliversWhenListenerThrows()) {
            warnIfNeverRedelivered(message);
            throw unchecked(message, failure);
        }
        try {
            acknowledgement.giveBack(session);
        } catch (JMSException | RuntimeException e) {
            log.warn("Could not hand {} back in a {} session: {}; the broker redelivers it once the session ends",
                    JmsText.describe(message), acknowledgement.description(), e.toString());
        }
        if (failure instanceof Error error) {
            throw error;
        }
    }

    private void warnIfNeverRedelivered(Message message) {
        if (acknowledgement == SessionAcknowledgement.DUPS_OK && isFromTopic(message)) {
            log.error("Cannot hand {} back for redelivery: ActiveMQ acknowledges DUPS_OK_ACKNOWLEDGE deliveries from a "
                    + "topic in batches and does not redeliver one whose listener threw; use AUTO_ACKNOWLEDGE, "
                    + "CLIENT_ACKNOWLEDGE or a transacted session on topics", JmsText.describe(message));
        }
    }

    private static boolean isFromTopic(Message message) {
        try {
            return message.getJMSDestination() instanceof Topic;
        } catch (JMSException e) {
            return false;
        }
    }

    private static RuntimeException unchecked(Message message, Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("Listener threw a checked exception for " + JmsText.describe(message),
                failure);
    }
}

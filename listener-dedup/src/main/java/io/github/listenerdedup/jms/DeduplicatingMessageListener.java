package io.github.listenerdedup.jms;

import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.EventIdResolver;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.listener.SessionAwareMessageListener;
import org.springframework.jms.listener.SubscriptionNameProvider;
import org.springframework.jms.listener.adapter.ListenerExecutionFailedException;

/**
 * Decorates the listener of a Spring {@code DefaultMessageListenerContainer} so that it runs once per event id and
 * consumer group, however often the broker delivers the event.
 *
 * <p>The event id is read from the JMS property named by the deduplicator's
 * {@link io.github.listenerdedup.core.DedupSettings#headerName() header name} (through {@code getObjectProperty},
 * so {@code "12345"} and {@code 12345L} are one id), or by a resolver; {@code JMSMessageID} is the message id of
 * {@link io.github.listenerdedup.core.MissingIdPolicy#MESSAGE_ID}. With payload fingerprints on, a
 * {@code TextMessage}'s text (as UTF-8) or a {@code BytesMessage}'s bytes are fingerprinted; other kinds of message
 * have no fingerprint. The container then settles each delivery as this decorator returns or throws:
 * <ul>
 *   <li>handled now or before: returns normally, and the container commits, or acknowledges after the listener in
 *       {@code CLIENT_ACKNOWLEDGE} and ActiveMQ's {@code INDIVIDUAL_ACKNOWLEDGE};</li>
 *   <li>held back too long by another delivery of the id, or the store unreachable: throws
 *       {@link DeliveryRequeuedException}; the container rolls back or calls {@code recover()}, and the broker
 *       redelivers by its redelivery policy;</li>
 *   <li>the listener failed: one WARN names the id and {@code JMSXDeliveryCount}, and its exception propagates
 *       after the claim was released, so the container rolls back or recovers;</li>
 *   <li>the listener handed the delivery back: a {@link SessionAwareMessageListener} is given a view of the
 *       container's session, and a {@code rollback()} or {@code recover()} it calls through that view counts as a
 *       failure: the claim is released, not completed, and {@link DeliveryHandedBackException} makes the container
 *       roll back or recover, so the broker redelivers (that second call undoes only what the listener did
 *       after its own). The view passes every other call to the session and implements its JMS interfaces, not
 *       the provider's class. The container's own commit, rollback and acknowledgement go to the
 *       session itself. A plain {@link MessageListener} is never given the session;</li>
 *   <li>rejected (unusable id, same id with other content, or the last of {@code maxAttempts} in an acknowledge
 *       mode): a copy goes to the dead-letter queue ({@value #DEFAULT_DEAD_LETTER_QUEUE} unless
 *       {@linkplain #withDeadLetterQueue configured}) in the consuming session, with the reason in
 *       {@value #REJECT_REASON_PROPERTY}, and the method returns normally. In a transacted session one commit
 *       covers the copy and the consumption. In the acknowledge modes the copy is sent first and the original
 *       acknowledged after it: if that acknowledgement is lost (the connection drops between the two), the broker
 *       redelivers the original, which is rejected again, so the dead-letter queue may hold two copies, but a
 *       rejected delivery is never lost. A copy of an ActiveMQ message keeps its properties and carries its
 *       original destination, so the broker console can retry it.</li>
 *   <li>the last of {@code maxAttempts} failed in a transacted session, or was handed back by the listener: the
 *       failed attempt's work (what the listener sent in the session) must not be committed with the copy, so this
 *       decorator throws {@link DeliveryHandedBackException} and the container rolls it back. Its redelivery, which
 *       ActiveMQ hands to the same consumer, is copied to the dead-letter queue and consumed in a transaction of its
 *       own, without running the listener. The claim is already discarded by then: the decorator remembers the
 *       {@code JMSMessageID} for one lease, in memory, and a redelivery that comes later or reaches another
 *       process runs the listener as a first attempt.</li>
 * </ul>
 *
 * <p>Install it with {@link JmsDeduplication}, which checks the container's settings first:
 * <pre>{@code
 * JmsDeduplication.applyTo(container, deduplicator);
 * }</pre>
 */
public final class DeduplicatingMessageListener implements SessionAwareMessageListener<Message>,
        SubscriptionNameProvider {

    /** The dead-letter queue rejected deliveries are copied to unless configured: ActiveMQ's shared one. */
    public static final String DEFAULT_DEAD_LETTER_QUEUE = "ActiveMQ.DLQ";
    /** The string property of a dead-letter copy that says why the delivery was rejected. */
    public static final String REJECT_REASON_PROPERTY = "dedupRejectReason";
    /** The string property naming the original destination, on copies of messages of providers other than
     * ActiveMQ, which have no field for it. */
    public static final String ORIGINAL_DESTINATION_PROPERTY = "dedupOriginalDestination";

    private static final Logger log = LoggerFactory.getLogger(DeduplicatingMessageListener.class);

    private final Object delegate;
    private final JmsDeliveryProcessor processor;

    /**
     * Decorates a listener that reads the id from the deduplicator's header name.
     *
     * @param delegate     a {@link MessageListener} or {@link SessionAwareMessageListener}, as the container takes
     * @param deduplicator decides each delivery
     * @throws IllegalArgumentException when the delegate is neither kind of listener
     */
    public DeduplicatingMessageListener(Object delegate, Deduplicator deduplicator) {
        this(delegate, new JmsDeliveryProcessor(log, deduplicator, null, DEFAULT_DEAD_LETTER_QUEUE));
    }

    /**
     * Decorates a listener that reads the id with a resolver: another property, a field of the body.
     *
     * @param delegate     a {@link MessageListener} or {@link SessionAwareMessageListener}, as the container takes
     * @param deduplicator decides each delivery
     * @param idResolver   reads the raw id value from a message
     * @throws IllegalArgumentException when the delegate is neither kind of listener
     */
    public DeduplicatingMessageListener(Object delegate, Deduplicator deduplicator,
            EventIdResolver<Message> idResolver) {
        this(delegate, new JmsDeliveryProcessor(log, deduplicator, null, DEFAULT_DEAD_LETTER_QUEUE)
                .withIdResolver(idResolver));
    }

    private DeduplicatingMessageListener(Object delegate, JmsDeliveryProcessor processor) {
        this.delegate = requireListener(delegate);
        this.processor = processor;
    }

    /**
     * The same decorator with rejected deliveries copied to another queue.
     *
     * @param queueName the dead-letter queue's name; default {@value #DEFAULT_DEAD_LETTER_QUEUE}
     * @return a new decorator
     * @throws IllegalArgumentException when the name is blank
     */
    public DeduplicatingMessageListener withDeadLetterQueue(String queueName) {
        return new DeduplicatingMessageListener(delegate, processor.withDeadLetterQueue(queueName));
    }

    /** @return the decorated listener */
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

    /** @return whether the id is read from the header name rather than by a resolver */
    public boolean readsIdFromHeader() {
        return processor.readsIdFromHeader();
    }

    /**
     * Decides one delivery and settles it as described on the class.
     *
     * @param message the delivery
     * @param session the container's session, in which a dead-letter copy is sent
     * @throws JMSException when the listener throws one, or the dead-letter copy cannot be sent
     */
    @Override
    public void onMessage(Message message, Session session) throws JMSException {
        DeliveryOutcome outcome = decide(message, session);
        switch (outcome.settlement()) {
            case ACK, REJECT -> traceSettling(message, outcome);
            case REQUEUE -> throw DeliveryRequeuedException.of(message, outcome);
            case FAIL -> throw new IllegalStateException("The deduplicator settled " + JmsText.describe(message)
                    + " as failed without a failure: " + outcome);
        }
    }

    /**
     * The subscription name the container derives from its listener, taken from the delegate, so that decorating
     * a listener never changes the name of its durable subscription.
     *
     * @return the delegate's subscription name, or its class name
     */
    @Override
    public String getSubscriptionName() {
        if (delegate instanceof SubscriptionNameProvider provider) {
            return provider.getSubscriptionName();
        }
        return delegate.getClass().getName();
    }

    @Override
    public String toString() {
        return "DeduplicatingMessageListener{group=" + deduplicator().settings().group() + ", delegate=" + delegate
                + "}";
    }

    private static void traceSettling(Message message, DeliveryOutcome outcome) {
        if (log.isTraceEnabled()) {
            log.trace("Settling {} ({})", JmsText.describe(message), outcome.tag());
        }
    }

    private DeliveryOutcome decide(Message message, Session session) throws JMSException {
        try {
            return processor.process(message, session, view -> invokeDelegate(message, view));
        } catch (JMSException | RuntimeException | Error failure) {
            throw failure;
        } catch (Throwable checked) {
            throw new ListenerExecutionFailedException("Listener threw a checked exception for "
                    + JmsText.describe(message), checked);
        }
    }

    @SuppressWarnings("unchecked")
    private void invokeDelegate(Message message, ListenerSession session) throws JMSException {
        if (delegate instanceof SessionAwareMessageListener<?> sessionAware) {
            ((SessionAwareMessageListener<Message>) sessionAware).onMessage(message, session.view());
        } else {
            ((MessageListener) delegate).onMessage(message);
        }
    }

    private static Object requireListener(Object delegate) {
        if (delegate instanceof SessionAwareMessageListener<?> || delegate instanceof MessageListener) {
            return delegate;
        }
        String given = delegate == null ? "null" : delegate.getClass().getName();
        throw new IllegalArgumentException("delegate must be a jakarta.jms.MessageListener or a "
                + "SessionAwareMessageListener, but was " + given);
    }
}

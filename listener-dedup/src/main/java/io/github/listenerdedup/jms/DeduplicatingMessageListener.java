package io.github.listenerdedup.jms;

import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.EventIdReader;
import io.github.listenerdedup.core.EventIdResolver;
import io.github.listenerdedup.core.IncomingDelivery;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import java.util.Objects;
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
 * {@link io.github.listenerdedup.core.MissingIdPolicy#MESSAGE_ID}. Each delivery is then settled in the container's
 * transacted session:
 * <ul>
 *   <li>handled now or before: returns normally, and the container commits;</li>
 *   <li>held back too long by another delivery of the id, or the store unreachable: throws
 *       {@link DeliveryRequeuedException}, the container rolls back and the broker redelivers by its redelivery
 *       policy;</li>
 *   <li>the listener failed: its exception propagates after the claim was released, and the container rolls
 *       back;</li>
 *   <li>rejected (unusable id): a copy goes to the dead-letter queue ({@value #DEFAULT_DEAD_LETTER_QUEUE} unless
 *       {@linkplain #withDeadLetterQueue configured}) in the same session, with the reason in
 *       {@value #REJECT_REASON_PROPERTY}, and the method returns normally so that one commit covers the copy and the
 *       consumption. A copy of an ActiveMQ message keeps its properties and carries its original destination, so
 *       the broker console can retry it.</li>
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
    private final Deduplicator deduplicator;
    private final EventIdResolver<Message> idResolver;
    private final boolean idFromHeader;
    private final DeadLetterPublisher deadLetters;
    private final EventIdReader idReader;

    /**
     * Decorates a listener that reads the id from the deduplicator's header name.
     *
     * @param delegate     a {@link MessageListener} or {@link SessionAwareMessageListener}, as the container takes
     * @param deduplicator decides each delivery
     * @throws IllegalArgumentException when the delegate is neither kind of listener
     */
    public DeduplicatingMessageListener(Object delegate, Deduplicator deduplicator) {
        this(delegate, deduplicator, null, DEFAULT_DEAD_LETTER_QUEUE);
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
        this(delegate, deduplicator, Objects.requireNonNull(idResolver, "idResolver"), DEFAULT_DEAD_LETTER_QUEUE);
    }

    private DeduplicatingMessageListener(Object delegate, Deduplicator deduplicator,
            EventIdResolver<Message> idResolver, String deadLetterQueue) {
        this.delegate = requireListener(delegate);
        this.deduplicator = Objects.requireNonNull(deduplicator, "deduplicator");
        this.idFromHeader = idResolver == null;
        String headerName = deduplicator.settings().headerName();
        this.idResolver = idFromHeader ? message -> message.getObjectProperty(headerName) : idResolver;
        this.deadLetters = new DeadLetterPublisher(deadLetterQueue);
        this.idReader = new EventIdReader(deduplicator.settings().maxIdLength());
    }

    /**
     * The same decorator with rejected deliveries copied to another queue.
     *
     * @param queueName the dead-letter queue's name; default {@value #DEFAULT_DEAD_LETTER_QUEUE}
     * @return a new decorator
     * @throws IllegalArgumentException when the name is blank
     */
    public DeduplicatingMessageListener withDeadLetterQueue(String queueName) {
        return new DeduplicatingMessageListener(delegate, deduplicator, idFromHeader ? null : idResolver,
                DeadLetterPublisher.requireQueueName(queueName));
    }

    /** @return the decorated listener */
    public Object delegate() {
        return delegate;
    }

    /** @return the deduplicator that decides each delivery */
    public Deduplicator deduplicator() {
        return deduplicator;
    }

    /** @return the name of the queue rejected deliveries are copied to */
    public String deadLetterQueue() {
        return deadLetters.queueName();
    }

    /** @return whether the id is read from the header name rather than by a resolver */
    public boolean readsIdFromHeader() {
        return idFromHeader;
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
        IncomingDelivery delivery = IncomingDelivery.resolve(message, idResolver, messageIdOf(message));
        DeliveryOutcome outcome = decide(delivery, message, session);
        switch (outcome.settlement()) {
            case ACK -> log.trace("Acknowledging {} ({})", JmsText.describe(message), outcome.tag());
            case REQUEUE -> throw requeue(message, outcome);
            case REJECT -> deadLetters.publish(message, session, RejectReason.of(outcome, delivery, idReader));
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
        return "DeduplicatingMessageListener{group=" + deduplicator.settings().group() + ", delegate=" + delegate
                + "}";
    }

    private DeliveryOutcome decide(IncomingDelivery delivery, Message message, Session session)
            throws JMSException {
        try {
            return deduplicator.process(delivery, () -> invokeDelegate(message, session));
        } catch (JMSException | RuntimeException | Error failure) {
            throw failure;
        } catch (Throwable checked) {
            throw new ListenerExecutionFailedException("Listener threw a checked exception for "
                    + JmsText.describe(message), checked);
        }
    }

    @SuppressWarnings("unchecked")
    private void invokeDelegate(Message message, Session session) throws JMSException {
        if (delegate instanceof SessionAwareMessageListener<?> sessionAware) {
            ((SessionAwareMessageListener<Message>) sessionAware).onMessage(message, session);
        } else {
            ((MessageListener) delegate).onMessage(message);
        }
    }

    private static DeliveryRequeuedException requeue(Message message, DeliveryOutcome outcome) {
        String text = "Rolled back " + JmsText.describe(message) + " so that the broker redelivers it ("
                + outcome.tag() + ")";
        log.debug(text);
        return new DeliveryRequeuedException(text, outcome);
    }

    private static String messageIdOf(Message message) {
        try {
            return message.getJMSMessageID();
        } catch (JMSException e) {
            return null;
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

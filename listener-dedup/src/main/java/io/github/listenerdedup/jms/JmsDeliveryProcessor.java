package io.github.listenerdedup.jms;

import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.EventIdReader;
import io.github.listenerdedup.core.EventIdResolver;
import io.github.listenerdedup.core.FingerprintMode;
import io.github.listenerdedup.core.IncomingDelivery;
import io.github.listenerdedup.core.Settlement;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * What both JMS decorators do with one delivery before they settle it: read its id (and its body, for
 * fingerprints), let the deduplicator decide, send a copy of a rejected delivery to the dead-letter queue in the
 * consuming session, and log one WARN line for each failure of the listener, naming the id and
 * {@code JMSXDeliveryCount}, under the decorator's logger. Free of Spring types, so that plain JMS can use it.
 *
 * <p>The listener is given a {@link ListenerSession}: a {@code rollback()} or {@code recover()} it makes through
 * it fails the attempt, so the claim is released rather than completed. When the last of {@code maxAttempts} fails
 * in a transacted session, or was handed back by the listener, the copy is not sent with the failed attempt's work:
 * the attempt is handed back (its sends rolled back with it), and its redelivery is copied to the dead-letter queue
 * and consumed in a transaction of its own.
 */
final class JmsDeliveryProcessor {

    /** Runs the decorated listener, giving it the session view if it takes a session. */
    @FunctionalInterface
    interface ListenerCall {

        /**
         * Runs the listener.
         *
         * @param session the session the listener may be given
         * @throws Throwable whatever the listener throws
         */
        void run(ListenerSession session) throws Throwable;
    }

    private static final String DELIVERY_COUNT = "JMSXDeliveryCount";

    private final Logger log;
    private final Deduplicator deduplicator;
    private final EventIdResolver<Message> idResolver;
    private final boolean idFromHeader;
    private final DeadLetterPublisher deadLetters;
    private final EventIdReader idReader;
    private final PendingDeadLetters pendingDeadLetters;

    /**
     * Creates the processor.
     *
     * @param log             the decorator's logger, which writes the lines about its deliveries
     * @param deduplicator    decides each delivery
     * @param idResolver      reads the raw id value, or {@code null} to read the deduplicator's header name
     * @param deadLetterQueue where rejected deliveries are copied
     */
    JmsDeliveryProcessor(Logger log, Deduplicator deduplicator, EventIdResolver<Message> idResolver,
            String deadLetterQueue) {
        this.log = Objects.requireNonNull(log, "log");
        this.deduplicator = Objects.requireNonNull(deduplicator, "deduplicator");
        this.idFromHeader = idResolver == null;
        String headerName = deduplicator.settings().headerName();
        this.idResolver = idFromHeader ? message -> message.getObjectProperty(headerName) : idResolver;
        this.deadLetters = new DeadLetterPublisher(deadLetterQueue);
        this.idReader = new EventIdReader(deduplicator.settings().maxIdLength());
        this.pendingDeadLetters = new PendingDeadLetters(deduplicator.settings().lease(), System::nanoTime);
    }

    /**
     * The same processor copying rejected deliveries to another queue.
     *
     * @param queueName the queue's name
     * @return a new processor
     */
    JmsDeliveryProcessor withDeadLetterQueue(String queueName) {
        return new JmsDeliveryProcessor(log, deduplicator, givenResolver(), queueName);
    }

    /**
     * The same processor reading the id with a resolver.
     *
     * @param resolver the resolver
     * @return a new processor
     */
    JmsDeliveryProcessor withIdResolver(EventIdResolver<Message> resolver) {
        return new JmsDeliveryProcessor(log, deduplicator, Objects.requireNonNull(resolver, "idResolver"),
                deadLetterQueue());
    }

    Deduplicator deduplicator() {
        return deduplicator;
    }

    /** @return the resolver as given, or {@code null} when the id is read from the header name */
    private EventIdResolver<Message> givenResolver() {
        return idFromHeader ? null : idResolver;
    }

    boolean readsIdFromHeader() {
        return idFromHeader;
    }

    String deadLetterQueue() {
        return deadLetters.queueName();
    }

    /**
     * Decides one delivery; a rejected one is copied to the dead-letter queue before this returns.
     *
     * @param message  the delivery
     * @param session  the consuming session, in which the copy is sent
     * @param listener runs the decorated listener
     * @return the outcome, to be settled by the caller
     * @throws Throwable what the listener threw, after the claim was released; a {@link DeliveryHandedBackException}
     *                   when the listener handed the delivery back, or its last attempt is rolled back; or a
     *                   {@link JMSException} when the dead-letter copy could not be sent
     */
    DeliveryOutcome process(Message message, Session session, ListenerCall listener) throws Throwable {
        String pendingReason = pendingDeadLetters.take(messageIdOf(message));
        if (pendingReason != null) {
            deadLetters.publish(message, session, pendingReason);
            return DeliveryOutcome.MAX_ATTEMPTS;
        }
        IncomingDelivery delivery = deliveryOf(message);
        ListenerSession listenerSession = new ListenerSession(session);
        DeliveryOutcome outcome;
        try {
            outcome = deduplicator.process(delivery, () -> run(listener, listenerSession, message));
        } catch (Throwable failure) {
            warnFailed(message, delivery, failure);
            throw failure;
        }
        if (outcome.settlement() == Settlement.REJECT) {
            reject(message, session, delivery, outcome, listenerSession.handBack() != null);
        }
        return outcome;
    }

    private static void run(ListenerCall listener, ListenerSession session, Message message) throws Throwable {
        listener.run(session);
        if (session.handBack() != null) {
            throw DeliveryHandedBackException.byListener(message, session.handBack());
        }
    }

    private void reject(Message message, Session session, IncomingDelivery delivery, DeliveryOutcome outcome,
            boolean handedBack) throws JMSException {
        String reason = RejectReason.of(outcome, delivery, idReader, deduplicator.settings());
        if (outcome == DeliveryOutcome.MAX_ATTEMPTS && (handedBack || session.getTransacted())) {
            handBackLastAttempt(message, reason);
        }
        deadLetters.publish(message, session, reason);
    }

    private void handBackLastAttempt(Message message, String reason) {
        String messageId = messageIdOf(message);
        if (messageId == null) {
            log.warn("Handing back the last attempt at {} so that its work is rolled back; it has no message id to "
                    + "recognise its redelivery by, which runs the listener as a first attempt",
                    JmsText.describe(message));
        } else {
            pendingDeadLetters.add(messageId, reason);
            log.info("Handing back the last attempt at {} so that its work is rolled back; its redelivery goes to "
                    + "dead-letter queue '{}'", JmsText.describe(message), deadLetters.queueName());
        }
        throw DeliveryHandedBackException.forDeadLetter(message);
    }

    private IncomingDelivery deliveryOf(Message message) {
        IncomingDelivery delivery = IncomingDelivery.resolve(message, idResolver, messageIdOf(message));
        if (deduplicator.settings().fingerprint() == FingerprintMode.NONE) {
            return delivery;
        }
        try {
            return delivery.withBody(MessageBodies.fingerprintBytes(message));
        } catch (JMSException e) {
            log.warn("Could not read the body of {} for its fingerprint, so it has none: {}",
                    JmsText.describe(message), e.toString());
            return delivery;
        }
    }

    private void warnFailed(Message message, IncomingDelivery delivery, Throwable failure) {
        String group = deduplicator.settings().group();
        String id = ClaimedId.describe(delivery, idReader, deduplicator.settings().missingId());
        String source = JmsText.describe(destinationOf(message));
        if (failure instanceof DeliveryHandedBackException) {
            log.warn("Listener of group '{}' handed back {} ({} {}) from {} through its session; its claim was "
                    + "released, and the broker redelivers the message or dead-letters it after its maximum "
                    + "redeliveries", group, id, DELIVERY_COUNT, deliveryCountOf(message), source);
            return;
        }
        log.warn("Listener of group '{}' failed on {} ({} {}) from {}: {}; its claim was released, and the broker "
                + "redelivers the message or dead-letters it after its maximum redeliveries",
                group, id, DELIVERY_COUNT, deliveryCountOf(message), source, failure.toString());
        log.debug("Failure of the listener of group '{}'", group, failure);
    }

    private static Object deliveryCountOf(Message message) {
        try {
            return message.propertyExists(DELIVERY_COUNT) ? message.getIntProperty(DELIVERY_COUNT) : "unknown";
        } catch (JMSException | RuntimeException e) {
            return "unknown";
        }
    }

    private static jakarta.jms.Destination destinationOf(Message message) {
        try {
            return message.getJMSDestination();
        } catch (JMSException e) {
            return null;
        }
    }

    private static String messageIdOf(Message message) {
        try {
            return message.getJMSMessageID();
        } catch (JMSException e) {
            return null;
        }
    }
}

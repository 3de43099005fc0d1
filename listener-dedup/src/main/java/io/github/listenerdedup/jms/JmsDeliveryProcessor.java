package io.github.listenerdedup.jms;

import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.EventIdReader;
import io.github.listenerdedup.core.EventIdReading;
import io.github.listenerdedup.core.EventIdResolver;
import io.github.listenerdedup.core.FingerprintMode;
import io.github.listenerdedup.core.IncomingDelivery;
import io.github.listenerdedup.core.ListenerInvocation;
import io.github.listenerdedup.core.LogText;
import io.github.listenerdedup.core.MissingIdPolicy;
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
 */
final class JmsDeliveryProcessor {

    private static final String DELIVERY_COUNT = "JMSXDeliveryCount";

    private final Logger log;
    private final Deduplicator deduplicator;
    private final EventIdResolver<Message> idResolver;
    private final boolean idFromHeader;
    private final DeadLetterPublisher deadLetters;
    private final EventIdReader idReader;

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
     * @throws Throwable what the listener threw, after the claim was released; or a {@link JMSException} when the
     *                   dead-letter copy could not be sent
     */
    DeliveryOutcome process(Message message, Session session, ListenerInvocation listener) throws Throwable {
        IncomingDelivery delivery = deliveryOf(message);
        DeliveryOutcome outcome;
        try {
            outcome = deduplicator.process(delivery, listener);
        } catch (Throwable failure) {
            warnFailed(message, delivery, failure);
            throw failure;
        }
        if (outcome.settlement() == Settlement.REJECT) {
            deadLetters.publish(message, session, RejectReason.of(outcome, delivery, idReader));
        }
        return outcome;
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
        log.warn("Listener of group '{}' failed on {} ({} {}) from {}: {}; its claim was released, and the broker "
                + "redelivers the message or dead-letters it after its maximum redeliveries",
                deduplicator.settings().group(), idOf(delivery), DELIVERY_COUNT, deliveryCountOf(message),
                JmsText.describe(destinationOf(message)), failure.toString());
        log.debug("Failure of the listener of group '{}'", deduplicator.settings().group(), failure);
    }

    private String idOf(IncomingDelivery delivery) {
        EventIdReading reading = idReader.read(delivery.eventIdValue());
        if (delivery.resolveFailure() == null && reading.isPresent()) {
            return "event id " + LogText.escape(reading.id());
        }
        if (deduplicator.settings().missingId() == MissingIdPolicy.MESSAGE_ID) {
            return "message id " + LogText.escape(String.valueOf(delivery.messageIdValue()));
        }
        return "a delivery without a usable event id";
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

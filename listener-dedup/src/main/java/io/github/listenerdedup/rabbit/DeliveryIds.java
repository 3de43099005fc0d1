package io.github.listenerdedup.rabbit;

import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.EventIdResolver;
import io.github.listenerdedup.core.FingerprintMode;
import io.github.listenerdedup.core.IncomingDelivery;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * Reads what the deduplicator needs of one AMQP message: the raw id value from the header (or the resolver), the
 * AMQP {@code message_id} for the message-id fallback, and the body when payloads are fingerprinted.
 */
final class DeliveryIds {

    private final DedupSettings settings;
    private final EventIdResolver<Message> resolver;

    /**
     * @param settings the deduplicator's settings
     * @param resolver reads the id from a message, or {@code null} to read the header
     */
    DeliveryIds(DedupSettings settings, EventIdResolver<Message> resolver) {
        this.settings = settings;
        this.resolver = resolver;
    }

    /**
     * The delivery of a message.
     *
     * @param message  the message
     * @param listener how log lines name the listener
     * @return the delivery, with the body when payloads are fingerprinted
     */
    IncomingDelivery of(Message message, String listener) {
        IncomingDelivery delivery = idValues(message, listener);
        return settings.fingerprint() == FingerprintMode.NONE ? delivery : delivery.withBody(message.getBody());
    }

    /** @return where the id is read, for messages: the header's name or the resolver */
    String source() {
        return resolver != null ? "the id resolver" : "header '" + settings.headerName() + "'";
    }

    private IncomingDelivery idValues(Message message, String listener) {
        MessageProperties properties = message.getMessageProperties();
        if (!ProducerBatchFragments.isBatchOrFragment(properties)) {
            return resolver == null
                    ? AmqpIdValues.delivery(properties.getHeaders().get(settings.headerName()),
                            properties.getMessageId())
                    : resolve(message, properties.getMessageId());
        }
        if (resolver != null) {
            return resolve(message, null);
        }
        return new IncomingDelivery(null, null, "the delivery on " + listener + " is a producer batch or "
                + "a fragment of one, and every fragment carries the first message's headers; publish without "
                + "batching, or give the advice an id resolver that reads the id from the body");
    }

    private IncomingDelivery resolve(Message message, String messageId) {
        Object value;
        try {
            value = resolver.resolve(message);
        } catch (Exception e) {
            return IncomingDelivery.unreadable(e, messageId);
        }
        return AmqpIdValues.delivery(value, messageId);
    }
}

package io.github.listenerdedup.rabbit;

import com.rabbitmq.client.LongString;
import io.github.listenerdedup.core.IncomingDelivery;
import java.io.IOException;
import java.io.InputStream;

/**
 * Turns the AMQP forms of a header value into what the core id reader understands. An AMQP long string becomes its
 * bytes, read as strict UTF-8 by the core. Spring AMQP decodes long strings up to its limit (1024 bytes by default)
 * to {@code String} leniently, so malformed bytes arrive as U+FFFD replacement characters: such text is unreadable,
 * since two different malformed ids would otherwise meet in one key. Over the limit it hands over the
 * {@link LongString} itself or a stream of its bytes, which is read and rewound for the listener.
 */
final class AmqpIdValues {

    private static final char REPLACEMENT_CHARACTER = '\uFFFD';

    private AmqpIdValues() {
    }

    /**
     * The delivery for a raw id value.
     *
     * @param value     the header or resolver value, or {@code null}
     * @param messageId the AMQP message id, or {@code null}
     * @return the delivery, unreadable when the value cannot be read as text
     */
    static IncomingDelivery delivery(Object value, Object messageId) {
        if (value instanceof LongString longString) {
            return IncomingDelivery.of(longString.getBytes(), messageId);
        }
        if (value instanceof InputStream stream) {
            return fromStream(stream, messageId);
        }
        if (value instanceof String text && text.indexOf(REPLACEMENT_CHARACTER) >= 0) {
            return new IncomingDelivery(null, messageId, "text holding the replacement character U+FFFD: its "
                    + "bytes were not valid UTF-8 and the broker client replaced them");
        }
        return IncomingDelivery.of(value, messageId);
    }

    private static IncomingDelivery fromStream(InputStream stream, Object messageId) {
        if (!stream.markSupported()) {
            return new IncomingDelivery(null, messageId, "a stream of type " + stream.getClass().getName()
                    + " that cannot be rewound for the listener");
        }
        try {
            stream.mark(Integer.MAX_VALUE);
            byte[] bytes = stream.readAllBytes();
            stream.reset();
            return IncomingDelivery.of(bytes, messageId);
        } catch (IOException e) {
            return new IncomingDelivery(null, messageId, "a stream that could not be read: " + e);
        }
    }
}

package io.github.listenerdedup.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;

/**
 * Reads the body of a message as bytes for its payload fingerprint: a {@link TextMessage}'s text as UTF-8, a
 * {@link BytesMessage}'s bytes (read, then reset so the listener reads them from the start). Other kinds of
 * message, and a text message without text, have no fingerprint: an id reused for other content is then not
 * caught.
 */
final class MessageBodies {

    private MessageBodies() {
    }

    /**
     * The bytes to fingerprint.
     *
     * @param message the delivery
     * @return the body's bytes, or {@code null} when the kind of message has no fingerprint
     * @throws JMSException when the body cannot be read
     */
    static byte[] fingerprintBytes(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            String body = text.getText();
            return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        }
        if (message instanceof BytesMessage bytes) {
            return readAndReset(bytes);
        }
        return null;
    }

    private static byte[] readAndReset(BytesMessage message) throws JMSException {
        message.reset();
        long length = message.getBodyLength();
        if (length > Integer.MAX_VALUE) {
            throw new JMSException("a body of " + length + " bytes is too long to fingerprint");
        }
        byte[] body = new byte[(int) length];
        message.readBytes(body);
        message.reset();
        return body;
    }
}

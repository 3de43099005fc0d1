package io.github.listenerdedup.jms;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.command.ActiveMQBytesMessage;
import org.apache.activemq.command.ActiveMQMapMessage;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQStreamMessage;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.command.MessageId;

/**
 * Messages and sessions without a broker: received ActiveMQ messages built by hand, a message of another provider,
 * and a session that records what is sent through it.
 */
final class JmsFakes {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private JmsFakes() {
    }

    /** A message as an ActiveMQ consumer receives it: id and destination set, body and properties read-only. */
    static ActiveMQTextMessage received(String queue, String body, Map<String, Object> properties)
            throws JMSException {
        ActiveMQTextMessage message = new ActiveMQTextMessage();
        message.setText(body);
        for (Map.Entry<String, Object> property : properties.entrySet()) {
            message.setObjectProperty(property.getKey(), property.getValue());
        }
        message.setDestination(new ActiveMQQueue(queue));
        message.setMessageId(new MessageId("ID:test-host-1:1:1:1", SEQUENCE.incrementAndGet()));
        message.setReadOnlyBody(true);
        message.setReadOnlyProperties(true);
        return message;
    }

    /** A text message of a provider other than ActiveMQ, answering only what a copy reads. */
    static TextMessage foreign(String queue, String body, Map<String, Object> properties) {
        Destination destination = new ActiveMQQueue(queue);
        return (TextMessage) Proxy.newProxyInstance(JmsFakes.class.getClassLoader(),
                new Class<?>[] {TextMessage.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getText" -> body;
                    case "getPropertyNames" -> Collections.enumeration(properties.keySet());
                    case "getObjectProperty" -> properties.get((String) args[0]);
                    case "getJMSDestination" -> destination;
                    case "getJMSMessageID" -> "ID:foreign-1";
                    case "getJMSPriority" -> 4;
                    case "getJMSCorrelationID", "getJMSType", "getJMSReplyTo" -> null;
                    case "toString" -> "foreign message";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A message sent through a {@link RecordingSession}, with where and how it was sent. */
    record Sent(Message message, Destination destination, int deliveryMode, int priority, long timeToLive) {
    }

    /**
     * A session that creates ActiveMQ messages and records each send, commit, rollback and recover instead of
     * talking to a broker.
     */
    static final class RecordingSession {

        private final List<Sent> sent = new CopyOnWriteArrayList<>();
        private final List<String> calls = new CopyOnWriteArrayList<>();
        private final List<String> failing = new CopyOnWriteArrayList<>();
        private final boolean transacted;
        private final int acknowledgeMode;
        private final Session session;

        /** A transacted session. */
        RecordingSession() {
            this(true, Session.SESSION_TRANSACTED);
        }

        /**
         * A session of the given kind.
         *
         * @param transacted      whether it is transacted
         * @param acknowledgeMode its mode when it is not
         */
        RecordingSession(boolean transacted, int acknowledgeMode) {
            this.transacted = transacted;
            this.acknowledgeMode = acknowledgeMode;
            this.session = createSession();
        }

        Session session() {
            return session;
        }

        /** @return commit, rollback, recover and acknowledge calls, in order */
        List<String> calls() {
            return calls;
        }

        /**
         * Makes a received message record its {@code acknowledge()} calls here.
         *
         * @param message the message
         * @return the message
         */
        <M extends ActiveMQMessage> M acknowledgedHere(M message) {
            message.setAcknowledgeCallback(() -> record("acknowledge"));
            return message;
        }

        /**
         * Makes a call fail from now on, as on a dropped connection.
         *
         * @param call {@code commit}, {@code rollback}, {@code recover} or {@code acknowledge}
         */
        void failOn(String call) {
            failing.add(call);
        }

        private Object record(String call) throws JMSException {
            calls.add(call);
            if (failing.contains(call)) {
                throw new JMSException(call + " failed: the connection is closed");
            }
            return null;
        }

        List<Sent> sent() {
            return sent;
        }

        private Session createSession() {
            return (Session) Proxy.newProxyInstance(JmsFakes.class.getClassLoader(),
                    new Class<?>[] {Session.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "createQueue" -> new ActiveMQQueue((String) args[0]);
                        case "createProducer" -> producer((Destination) args[0]);
                        case "createTextMessage" -> textMessage(args == null ? null : (String) args[0]);
                        case "createMessage" -> new ActiveMQMessage();
                        case "createBytesMessage" -> new ActiveMQBytesMessage();
                        case "createMapMessage" -> new ActiveMQMapMessage();
                        case "createStreamMessage" -> new ActiveMQStreamMessage();
                        case "getTransacted" -> transacted;
                        case "getAcknowledgeMode" -> transacted ? Session.SESSION_TRANSACTED : acknowledgeMode;
                        case "commit", "rollback", "recover" -> record(method.getName());
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "toString" -> "recording session";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        private MessageProducer producer(Destination destination) {
            return (MessageProducer) Proxy.newProxyInstance(JmsFakes.class.getClassLoader(),
                    new Class<?>[] {MessageProducer.class}, (proxy, method, args) -> {
                        if (method.getName().equals("send") && args.length == 4) {
                            sent.add(new Sent((Message) args[0], destination, (Integer) args[1], (Integer) args[2],
                                    (Long) args[3]));
                            calls.add("send");
                            return null;
                        }
                        if (method.getName().equals("close")) {
                            return null;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }

        private static TextMessage textMessage(String text) throws JMSException {
            ActiveMQTextMessage message = new ActiveMQTextMessage();
            message.setText(text);
            return message;
        }
    }
}

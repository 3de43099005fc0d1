package io.github.listenerdedup.demo;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;

/**
 * Sends the demo's deliveries to its JMS queue as persistent text messages, each with the event id and the run id
 * as properties. Persistent, because the broker's dead-letter strategy drops non-persistent messages.
 */
public final class JmsPublisher {

    /** The property that names the run, so the run's messages can be found in a shared dead-letter queue. */
    public static final String RUN_PROPERTY = "demoRun";

    private final ConnectionFactory connectionFactory;
    private final String queueName;
    private final String runId;

    /**
     * Creates a publisher.
     *
     * @param connectionFactory where to connect
     * @param queueName         the queue
     * @param runId             the run, set on every message
     */
    public JmsPublisher(ConnectionFactory connectionFactory, String queueName, String runId) {
        this.connectionFactory = connectionFactory;
        this.queueName = queueName;
        this.runId = runId;
    }

    /**
     * Sends deliveries in order, each acknowledged by the broker before the next.
     *
     * @param deliveries the deliveries
     * @throws JMSException when the broker does not accept one
     */
    public void publish(List<PlannedDelivery> deliveries) throws JMSException {
        try (Connection connection = connectionFactory.createConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue(queueName))) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (PlannedDelivery delivery : deliveries) {
                TextMessage message = session.createTextMessage(delivery.payload());
                message.setStringProperty(DemoMessaging.EVENT_ID_HEADER, delivery.eventId());
                message.setStringProperty(RUN_PROPERTY, runId);
                producer.send(message);
            }
        }
    }
}

package io.github.listenerdedup.demo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Sends the demo's deliveries to its RabbitMQ queue through the default exchange, as text with the event id and
 * the run id in headers, and waits until the broker has confirmed them all.
 */
public final class RabbitPublisher {

    /** The header that names the run. */
    public static final String RUN_HEADER = "demoRun";

    private static final long CONFIRM_TIMEOUT_MILLIS = 30_000;

    private final RabbitTemplate template;
    private final String queueName;
    private final String runId;

    /**
     * Creates a publisher.
     *
     * @param template  a template on a connection factory with simple publisher confirms
     * @param queueName the queue
     * @param runId     the run, set on every message
     */
    public RabbitPublisher(RabbitTemplate template, String queueName, String runId) {
        this.template = template;
        this.queueName = queueName;
        this.runId = runId;
    }

    /**
     * Sends deliveries in order on one channel and waits for the broker's confirms.
     *
     * @param deliveries the deliveries
     */
    public void publish(List<PlannedDelivery> deliveries) {
        template.invoke(operations -> {
            for (PlannedDelivery delivery : deliveries) {
                operations.send("", queueName, message(delivery));
            }
            operations.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
            return null;
        });
    }

    private Message message(PlannedDelivery delivery) {
        return MessageBuilder.withBody(delivery.payload().getBytes(StandardCharsets.UTF_8))
                .setContentType("text/plain")
                .setContentEncoding(StandardCharsets.UTF_8.name())
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setHeader(DemoMessaging.EVENT_ID_HEADER, delivery.eventId())
                .setHeader(RUN_HEADER, runId)
                .build();
    }
}

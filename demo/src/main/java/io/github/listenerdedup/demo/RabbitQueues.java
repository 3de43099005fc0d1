package io.github.listenerdedup.demo;

import java.util.Map;
import java.util.Properties;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The demo's own queue on RabbitMQ, with a dead-letter exchange and queue for rejected deliveries, all named after
 * the run. They are deleted at the end; should the demo die first, the queues expire after
 * {@value #EXPIRES_MILLIS} ms unused and the exchange goes with its last binding.
 */
public final class RabbitQueues {

    /** How long an unused queue of the demo lives on the broker. */
    static final int EXPIRES_MILLIS = 15 * 60 * 1000;

    private final RabbitAdmin admin;
    private final String queueName;

    /**
     * Names the queues of a run; nothing is declared yet.
     *
     * @param admin the admin on the demo's connection
     * @param runId names the queues
     */
    public RabbitQueues(RabbitAdmin admin, String runId) {
        this.admin = admin;
        this.queueName = "listener-dedup-demo." + runId;
    }

    /** @return the queue the demo publishes to and consumes from */
    public String queueName() {
        return queueName;
    }

    /** @return the dead-letter queue */
    public String deadLetterQueueName() {
        return queueName + ".dlq";
    }

    /** @return the dead-letter exchange */
    public String deadLetterExchangeName() {
        return queueName + ".dlx";
    }

    /** Declares the dead-letter exchange and queue, then the queue. */
    public void declare() {
        DirectExchange deadLetterExchange = new DirectExchange(deadLetterExchangeName(), false, true);
        Queue deadLetterQueue = new Queue(deadLetterQueueName(), false, false, false,
                Map.of("x-expires", EXPIRES_MILLIS));
        admin.declareExchange(deadLetterExchange);
        admin.declareQueue(deadLetterQueue);
        Binding binding = BindingBuilder.bind(deadLetterQueue).to(deadLetterExchange).with(queueName);
        admin.declareBinding(binding);
        admin.declareQueue(new Queue(queueName, false, false, false,
                Map.of("x-dead-letter-exchange", deadLetterExchangeName(), "x-expires", EXPIRES_MILLIS)));
    }

    /**
     * Counts the ready messages of a queue.
     *
     * @param queue the queue
     * @return the count, or 0 when the queue does not exist
     */
    public int messageCount(String queue) {
        Properties properties = admin.getQueueProperties(queue);
        if (properties == null) {
            return 0;
        }
        return ((Number) properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).intValue();
    }

    /** Deletes the queue, the dead-letter queue and the dead-letter exchange. */
    public void delete() {
        admin.deleteQueue(queueName);
        admin.deleteQueue(deadLetterQueueName());
        admin.deleteExchange(deadLetterExchangeName());
    }
}

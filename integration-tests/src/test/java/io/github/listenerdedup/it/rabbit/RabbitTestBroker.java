package io.github.listenerdedup.it.rabbit;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.github.listenerdedup.it.TestServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * One test's view of the shared RabbitMQ: its own connection, queues with random names that each dead-letter to
 * their own queue, the containers it started, a count of the deliveries received and not yet settled, and the
 * channels the broker closed on an error (such as an unknown delivery tag). Closing it stops the containers and
 * deletes what it declared.
 */
final class RabbitTestBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RabbitTestBroker.class);

    /** Prefetch of every test container, as the failure cases assume. */
    static final int PREFETCH = 10;

    /** Idle queues left behind by a killed test run disappear after this long. */
    private static final int QUEUE_EXPIRY_MILLIS = 10 * 60 * 1000;

    private final UnacknowledgedDeliveries unacknowledged = new UnacknowledgedDeliveries();
    private final List<String> channelErrors = new CopyOnWriteArrayList<>();
    private final List<CachingConnectionFactory> connectionFactories = new ArrayList<>();
    private final CachingConnectionFactory connectionFactory;
    private final RabbitTemplate template;
    private final List<String> queues = new ArrayList<>();
    private final List<String> exchanges = new ArrayList<>();
    private final List<AbstractMessageListenerContainer> containers = new ArrayList<>();

    RabbitTestBroker() {
        TestServices.requireRabbit();
        this.connectionFactory = newConnectionFactory();
        this.template = new RabbitTemplate(connectionFactory);
    }

    CachingConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    /**
     * A connection factory of its own, for a container whose connection a test closes; its deliveries and channel
     * errors count with the others, and it is destroyed when the broker closes.
     */
    CachingConnectionFactory newConnectionFactory() {
        com.rabbitmq.client.ConnectionFactory rabbit = new com.rabbitmq.client.ConnectionFactory();
        rabbit.setHost(TestServices.RABBIT_HOST);
        rabbit.setPort(TestServices.RABBIT_PORT);
        rabbit.setUsername(TestServices.RABBIT_USER);
        rabbit.setPassword(TestServices.RABBIT_PASSWORD);
        rabbit.setAutomaticRecoveryEnabled(false);
        rabbit.setMetricsCollector(unacknowledged);
        CachingConnectionFactory factory = new CachingConnectionFactory(rabbit);
        factory.addChannelListener((channel, transactional) -> channel.addShutdownListener(this::recordShutdown));
        connectionFactories.add(factory);
        return factory;
    }

    /**
     * The channels the broker closed, by their close reason: an unknown delivery tag (a delivery settled twice)
     * shows up here. Closes the client asked for are not errors.
     *
     * @return one line per channel the broker closed
     */
    List<String> channelErrors() {
        return List.copyOf(channelErrors);
    }
    RabbitTemplate template() {
        return template;
    }

    /**
     * Declares a queue with a random name that dead-letters to its own queue.
     *
     * @param purpose a word for the name
     * @return the queue
     */
    TestQueue declareQueue(String purpose) {
        return declare(purpose, false, Map.of());
    }

    /**
     * Declares a quorum queue with a random name, a delivery limit, and its own dead-letter queue.
     *
     * @param purpose       a word for the name
     * @param deliveryLimit how often the broker may return a message before it dead-letters it
     * @return the queue
     */
    TestQueue declareQuorumQueue(String purpose, int deliveryLimit) {
        return declare(purpose, true, Map.of("x-queue-type", "quorum", "x-delivery-limit", deliveryLimit));
    }

    /**
     * Moves every message of the queue's dead-letter queue back to the queue, as an operator replays them: with
     * their properties and headers as dead-lettering left them ({@code x-death}, {@code x-delivery-count}).
     *
     * @param queue the queue
     * @return the messages moved, with the headers they carried
     */
    List<Map<String, Object>> replayDeadLetters(TestQueue queue) {
        return takeDeadLetters(queue, (channel, response) ->
                channel.basicPublish("", queue.name(), response.getProps(), response.getBody()));
    }

    /**
     * Takes every message off the queue's dead-letter queue.
     *
     * @param queue the queue
     * @return the headers each dead-lettered message carried, in queue order
     */
    List<Map<String, Object>> takeDeadLetters(TestQueue queue) {
        return takeDeadLetters(queue, (channel, response) -> { });
    }

    private List<Map<String, Object>> takeDeadLetters(TestQueue queue, DeadLetterAction action) {
        List<Map<String, Object>> taken = new ArrayList<>();
        template.execute(channel -> {
            GetResponse response;
            while ((response = channel.basicGet(queue.deadLetterQueue(), false)) != null) {
                action.apply(channel, response);
                channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
                Map<String, Object> headers = response.getProps().getHeaders();
                taken.add(headers == null ? Map.of() : Map.copyOf(headers));
            }
            return null;
        });
        return taken;
    }

    /** What to do with one dead-lettered message before it is acknowledged. */
    private interface DeadLetterAction {

        void apply(Channel channel, GetResponse response) throws IOException;
    }

    private TestQueue declare(String purpose, boolean durable, Map<String, Object> typeArguments) {
        String name = "dedup-it." + purpose + "." + UUID.randomUUID();
        String deadLetterExchange = name + ".dlx";
        String deadLetterQueue = name + ".dlq";
        exchanges.add(deadLetterExchange);
        queues.add(name);
        queues.add(deadLetterQueue);
        Map<String, Object> arguments = new HashMap<>(typeArguments);
        arguments.put("x-dead-letter-exchange", deadLetterExchange);
        arguments.put("x-expires", QUEUE_EXPIRY_MILLIS);
        template.execute(channel -> {
            channel.exchangeDeclare(deadLetterExchange, "fanout");
            channel.queueDeclare(deadLetterQueue, false, false, false, Map.of("x-expires", QUEUE_EXPIRY_MILLIS));
            channel.queueBind(deadLetterQueue, deadLetterExchange, "");
            channel.queueDeclare(name, durable, false, false, arguments);
            return null;
        });
        return new TestQueue(name, deadLetterQueue);
    }

    /**
     * Declares a fanout exchange with a random name bound to the queues.
     *
     * @param queues the queues it feeds
     * @return the exchange's name
     */
    String declareFanout(TestQueue... queues) {
        String name = "dedup-it.fanout." + UUID.randomUUID();
        exchanges.add(name);
        template.execute(channel -> {
            channel.exchangeDeclare(name, "fanout");
            for (TestQueue queue : queues) {
                channel.queueBind(queue.name(), name, "");
            }
            return null;
        });
        return name;
    }

    /** A simple container on the queue, with the test prefetch, stopped when the broker closes. */
    SimpleMessageListenerContainer simpleContainer(TestQueue queue, int consumers) {
        return simpleContainer(queue, consumers, connectionFactory);
    }

    /** A simple container on the queue over a connection factory of its own, see {@link #newConnectionFactory}. */
    SimpleMessageListenerContainer simpleContainer(TestQueue queue, int consumers,
            CachingConnectionFactory ownConnectionFactory) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(ownConnectionFactory);
        container.setQueueNames(queue.name());
        container.setConcurrentConsumers(consumers);
        container.setPrefetchCount(PREFETCH);
        container.setReceiveTimeout(100);
        container.setJavaLangErrorHandler(RabbitTestBroker::keepRunning);
        return track(container);
    }

    /** A direct container on the queue, with the test prefetch, stopped when the broker closes. */
    DirectMessageListenerContainer directContainer(TestQueue queue, int consumers) {
        DirectMessageListenerContainer container = new DirectMessageListenerContainer(connectionFactory);
        container.setQueueNames(queue.name());
        container.setConsumersPerQueue(consumers);
        container.setPrefetchCount(PREFETCH);
        container.setJavaLangErrorHandler(RabbitTestBroker::keepRunning);
        return track(container);
    }

    /** Stops the container with the others when the broker closes. */
    <C extends AbstractMessageListenerContainer> C track(C container) {
        containers.add(container);
        return container;
    }

    /** Publishes a text message with headers to the queue. */
    void publish(TestQueue queue, Map<String, Object> headers, String body) {
        MessageProperties properties = new MessageProperties();
        headers.forEach(properties::setHeader);
        template.send("", queue.name(), new Message(body.getBytes(StandardCharsets.UTF_8), properties));
    }

    /** Publishes with the plain AMQP client, so that header values reach the broker exactly as given. */
    void publishRaw(TestQueue queue, Map<String, Object> headers, String body) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().headers(headers).build();
        template.execute(channel -> {
            channel.basicPublish("", queue.name(), properties, body.getBytes(StandardCharsets.UTF_8));
            return null;
        });
    }

    /** @return how many messages the queue holds ready for delivery */
    int readyCount(String queue) {
        Integer count = template.execute(channel -> channel.queueDeclarePassive(queue).getMessageCount());
        return count == null ? 0 : count;
    }

    /** Waits until the broker counts the consumers on the queue, so that the next message can reach any of them. */
    void awaitConsumers(TestQueue queue, int consumers) {
        await().atMost(Duration.ofSeconds(30)).until(() -> consumerCount(queue.name()) == consumers);
    }

    /** @return how many consumers the broker counts on the queue */
    int consumerCount(String queue) {
        Integer count = template.execute(channel -> channel.queueDeclarePassive(queue).getConsumerCount());
        return count == null ? 0 : count;
    }

    /** @return how many messages reached the queue's dead-letter queue */
    int deadLetterCount(TestQueue queue) {
        return readyCount(queue.deadLetterQueue());
    }

    /**
     * Whether the queues hold no message, ready or unacknowledged. The broker's passive declare counts only ready
     * messages, so unacknowledged ones are counted on this connection; they are counted again after the ready check
     * because a message delivered in between leaves the ready count for the unacknowledged one.
     *
     * @param queues the queues
     * @return {@code true} when nothing is ready and nothing is unsettled
     */
    boolean isDrained(TestQueue... queues) {
        if (unacknowledged.count() > 0) {
            return false;
        }
        for (TestQueue queue : queues) {
            if (readyCount(queue.name()) > 0) {
                return false;
            }
        }
        return unacknowledged.count() == 0;
    }

    @Override
    public void close() {
        containers.forEach(AbstractMessageListenerContainer::stop);
        template.execute(channel -> {
            for (String queue : queues) {
                channel.queueDelete(queue);
            }
            for (String exchange : exchanges) {
                channel.exchangeDelete(exchange);
            }
            return null;
        });
        connectionFactories.forEach(CachingConnectionFactory::destroy);
    }

    private void recordShutdown(ShutdownSignalException signal) {
        if (!signal.isInitiatedByApplication()) {
            channelErrors.add(signal.getMessage());
        }
    }

    private static void keepRunning(Error error) {
        log.error("A listener threw {}; the test JVM keeps running", error.toString());
    }

    /** A queue and the queue it dead-letters to, through a fanout exchange. */
    record TestQueue(String name, String deadLetterQueue) {
    }
}

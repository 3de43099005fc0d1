package io.github.listenerdedup.it.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.it.HandlerRuns;
import io.github.listenerdedup.it.RecordingClaimStore;
import io.github.listenerdedup.it.TestServices;
import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import io.github.listenerdedup.rabbit.RabbitDeduplication;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.listener.MethodRabbitListenerEndpoint;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;

/**
 * What the RabbitMQ failure-case tests share: a broker view with random queues, a recording store, a random group,
 * handler runs counted by event id, and outcomes counted.
 */
abstract class RabbitCaseSupport {

    /** How long a test waits for deliveries to settle. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    protected RabbitTestBroker broker;
    protected RecordingClaimStore store;
    protected HandlerRuns runs;
    protected String group;
    private final Map<DeliveryOutcome, AtomicInteger> outcomes = new ConcurrentHashMap<>();

    @BeforeEach
    void openBroker() {
        broker = new RabbitTestBroker();
        store = new RecordingClaimStore(createStore());
        runs = new HandlerRuns();
        group = "rabbit-it-" + UUID.randomUUID();
    }

    @AfterEach
    void closeBroker() {
        List<String> channelErrors = broker.channelErrors();
        broker.close();
        assertThat(channelErrors).as("channels the broker closed, such as for an unknown delivery tag").isEmpty();
    }

    /** @return the store the cases run against; each test uses its own group */
    protected ClaimStore createStore() {
        return TestServices.sharedRedisStore();
    }

    /** @return settings for the test's group: short lease, short in-flight wait */
    protected DedupSettings.Builder settings() {
        return settings(group);
    }

    /** @return settings for a group of the test: short lease, short in-flight wait */
    protected DedupSettings.Builder settings(String groupName) {
        return DedupSettings.builder()
                .group(groupName)
                .lease(Duration.ofSeconds(10))
                .inFlightWait(Duration.ofSeconds(2));
    }

    /** @return a deduplicator on the test's store that counts outcomes */
    protected Deduplicator deduplicator(DedupSettings settings) {
        return new Deduplicator(settings, store,
                (g, id, outcome) -> outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet());
    }

    /** @return how often the outcome was reported */
    protected int outcomeCount(DeliveryOutcome outcome) {
        AtomicInteger count = outcomes.get(outcome);
        return count == null ? 0 : count.get();
    }

    /** @return the store's state of the id in the test's group */
    protected ClaimState stateOf(String eventId) {
        return stateOf(group, eventId);
    }

    /** @return the store's state of the id in a group */
    protected ClaimState stateOf(String groupName, String eventId) {
        return store.inspect(settings(groupName).build().keyFor(eventId)).state();
    }

    /**
     * A listener container factory that converts JSON bodies and installs deduplication with its customizer, as an
     * application with {@code @RabbitListener} methods would set one up.
     *
     * @return the factory, on the test's connection, with the test prefetch
     */
    protected SimpleRabbitListenerContainerFactory jsonFactory() {
        SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
        factory.setConnectionFactory(broker.connectionFactory());
        factory.setMessageConverter(new JacksonJsonMessageConverter());
        factory.setPrefetchCount(RabbitTestBroker.PREFETCH);
        factory.setContainerCustomizer(RabbitDeduplication.customizer(factory, deduplicator(settings().build())));
        return factory;
    }

    /**
     * An endpoint that calls one method of a POJO listener, as a {@code @RabbitListener} method declares one.
     *
     * @param queue  the queue it consumes
     * @param bean   the listener
     * @param method the method
     * @return the endpoint, with an id made from the queue
     */
    protected static MethodRabbitListenerEndpoint methodEndpoint(TestQueue queue, Object bean, Method method) {
        DefaultMessageHandlerMethodFactory handlerMethodFactory = new DefaultMessageHandlerMethodFactory();
        handlerMethodFactory.afterPropertiesSet();
        MethodRabbitListenerEndpoint endpoint = new MethodRabbitListenerEndpoint();
        endpoint.setId("orders-" + queue.name());
        endpoint.setQueueNames(queue.name());
        endpoint.setBean(bean);
        endpoint.setMethod(method);
        endpoint.setMessageHandlerMethodFactory(handlerMethodFactory);
        return endpoint;
    }

    /** @return a listener that counts a run under its body, which the cases set to the event id's text */
    protected MessageListener countingListener() {
        return countingListener(runs);
    }

    /** @return a listener that counts its runs under its body in the given counter */
    protected static MessageListener countingListener(HandlerRuns counter) {
        return message -> {
            String eventId = bodyOf(message);
            counter.started(eventId);
            counter.succeeded(eventId);
        };
    }

    /** @return the message's body as UTF-8 text */
    protected static String bodyOf(Message message) {
        return new String(message.getBody(), StandardCharsets.UTF_8);
    }
}

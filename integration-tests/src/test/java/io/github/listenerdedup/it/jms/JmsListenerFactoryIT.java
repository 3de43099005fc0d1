package io.github.listenerdedup.it.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.it.HandlerRuns;
import io.github.listenerdedup.jms.DeduplicatingJmsListenerContainerFactory;
import io.github.listenerdedup.jms.JmsDeduplication;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jms.annotation.EnableJms;
import org.springframework.jms.annotation.JmsListener;

/**
 * {@code @JmsListener} methods deduplicated by {@link DeduplicatingJmsListenerContainerFactory} in a Spring
 * context: a transacted or client-acknowledging factory has a failed delivery redelivered and runs it again; a
 * factory that acknowledges before the listener runs stops the context from starting.
 */
class JmsListenerFactoryIT extends ActiveMqTestBase {

    private final String queue = EmbeddedActiveMq.uniqueQueue("annotated");
    private AnnotationConfigApplicationContext context;

    @AfterEach
    void closeContext() {
        if (context != null) {
            context.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SessionMode.class, names = {"TRANSACTED", "CLIENT_ACKNOWLEDGE"})
    void shouldRedeliverAndRunAgainWhenAnnotatedListenerThrowsOnce(SessionMode mode) throws Exception {
        context = startContext(mode);
        await().atMost(SETTLE).until(() -> activeMq.consumerCount(queue) == 1);
        OrderListener listener = context.getBean(OrderListener.class);

        activeMq.publish(queue, Map.of(HEADER, "E15"), "body");

        await().atMost(SETTLE).until(() -> listener.runs.successesOf("E15") == 1);
        await().atMost(SETTLE).until(() -> activeMq.isDrained(queue));
        assertThat(listener.deliveryCounts).containsExactly(1, 2);
        assertThat(store.releases()).isEqualTo(1);
        assertThat(store.inspect(settings().keyFor("E15")).state()).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldFailStartupWhenListenerFactoryIsNotTransacted() {
        assertThatThrownBy(() -> startContext(SessionMode.AUTO_ACKNOWLEDGE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sessionTransacted=false with sessionAcknowledgeMode=AUTO_ACKNOWLEDGE is refused for "
                        + "deduplication on queue '" + queue + "': this container acknowledges each message before "
                        + "the listener runs, so a delivery whose claim was released could never be retried; set "
                        + "sessionTransacted=true, or sessionAcknowledgeMode=CLIENT_ACKNOWLEDGE");
    }

    private AnnotationConfigApplicationContext startContext(SessionMode mode) {
        AnnotationConfigApplicationContext started = new AnnotationConfigApplicationContext();
        started.getEnvironment().getPropertySources()
                .addFirst(new MapPropertySource("it", Map.of("it.queue", queue)));
        started.registerBean("jmsListenerContainerFactory", DeduplicatingJmsListenerContainerFactory.class,
                () -> listenerFactory(mode));
        started.register(ListenerConfiguration.class);
        started.refresh();
        return started;
    }

    private DeduplicatingJmsListenerContainerFactory listenerFactory(SessionMode mode) {
        Deduplicator deduplicator = new Deduplicator(settings(), store);
        DeduplicatingJmsListenerContainerFactory factory = new DeduplicatingJmsListenerContainerFactory(
                endpoint -> JmsDeduplication.of(deduplicator));
        factory.setConnectionFactory(activeMq.connectionFactory());
        mode.applyTo(factory);
        factory.setReceiveTimeout(100L);
        return factory;
    }

    private DedupSettings settings() {
        return DedupSettings.builder().group("orders-" + queue).build();
    }

    /** Declares the annotated listener. */
    @Configuration(proxyBeanMethods = false)
    @EnableJms
    static class ListenerConfiguration {

        @Bean
        OrderListener orderListener() {
            return new OrderListener();
        }
    }

    /** A listener method that fails on the first delivery of each id and records the delivery counts. */
    public static class OrderListener {

        final HandlerRuns runs = new HandlerRuns();
        final List<Integer> deliveryCounts = new CopyOnWriteArrayList<>();

        /**
         * Handles an order.
         *
         * @param message the raw message
         * @throws JMSException when a property cannot be read
         */
        @JmsListener(id = "orders", destination = "${it.queue}")
        public void onOrder(Message message) throws JMSException {
            String id = message.getStringProperty(HEADER);
            deliveryCounts.add(message.getIntProperty("JMSXDeliveryCount"));
            if (runs.started(id) == 1) {
                throw new IllegalStateException("first attempt of " + id + " fails");
            }
            runs.succeeded(id);
        }
    }
}

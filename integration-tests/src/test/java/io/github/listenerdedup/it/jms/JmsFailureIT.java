package io.github.listenerdedup.it.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.it.HandlerRuns;
import io.github.listenerdedup.jms.JmsDeduplication;
import jakarta.jms.JMSException;
import jakarta.jms.MessageListener;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQQueue;
import org.junit.jupiter.api.Test;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.jms.listener.adapter.MessageListenerAdapter;
import org.springframework.jms.support.converter.JacksonJsonMessageConverter;

/**
 * Failures on a real broker: a handler that throws once is rolled back and runs again; a failure before the handler
 * (conversion) or an {@code Error} releases the claim instead of leaving it in progress. The refusal of containers
 * that acknowledge before their listener runs is in {@link JmsContainerModesIT}.
 */
class JmsFailureIT extends ActiveMqTestBase {

    private final String queue = EmbeddedActiveMq.uniqueQueue("failures");
    private final String group = "failures-" + UUID.randomUUID();
    private final Deduplicator deduplicator = new Deduplicator(DedupSettings.builder().group(group).build(), store);

    @Test
    void shouldRollBackAndRunAgainWithSecondDeliveryCountWhenHandlerThrowsOnce() throws Exception {
        List<Integer> deliveryCounts = new CopyOnWriteArrayList<>();
        startDeduplicated(failingOnce(deliveryCounts));

        activeMq.publish(queue, Map.of(HEADER, "E15"), "body");

        await().atMost(SETTLE).until(() -> runs.successesOf("E15") == 1);
        awaitDrained(queue);
        assertThat(deliveryCounts).containsExactly(1, 2);
        assertThat(runs.startsOf("E15")).isEqualTo(2);
        assertThat(store.releases()).isEqualTo(1);
        assertThat(stateOf("E15")).isEqualTo(ClaimState.COMPLETED);
        assertThat(activeMq.deadLettersFrom(queue)).isEmpty();
    }

    @Test
    void shouldReleaseClaimAndLetBrokerDeadLetterWhenConversionFails() throws Exception {
        startDeduplicated(jsonAdapter());

        activeMq.publish(queue, Map.of(HEADER, "E5", "_type", "order"), "{");

        await().atMost(SETTLE).until(() -> activeMq.deadLettersFrom(queue).size() == 1);
        awaitDrained(queue);
        ClaimSnapshot claim = store.inspect(deduplicator.settings().keyFor("E5"));
        assertThat(claim.state()).as("released, never left in progress").isEqualTo(ClaimState.RELEASED);
        assertThat(claim.attempts()).isEqualTo(EmbeddedActiveMq.MAXIMUM_REDELIVERIES + 1);
        assertThat(runs.totalStarts()).isZero();
        ActiveMQMessage deadLetter = activeMq.deadLettersFrom(queue).get(0);
        assertThat(deadLetter.getOriginalDestination()).isEqualTo(new ActiveMQQueue(queue));
        assertThat(deadLetter.getStringProperty(HEADER)).isEqualTo("E5");

        activeMq.publish(queue, Map.of(HEADER, "E5", "_type", "order"), "{\"orderId\":\"o-5\"}");

        await().atMost(SETTLE).until(() -> runs.successesOf("o-5") == 1);
        awaitDrained(queue);
        assertThat(runs.startsOf("o-5")).isEqualTo(1);
        assertThat(stateOf("E5")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldReleaseClaimAndPassErrorToContainerWhenHandlerThrowsError() throws Exception {
        HandlerBrokeError error = new HandlerBrokeError();
        List<Throwable> containerErrors = new CopyOnWriteArrayList<>();
        MessageListener listener = message -> {
            String id = TestListeners.idOf(message);
            if (runs.started(id) == 1) {
                throw error;
            }
            runs.succeeded(id);
        };
        DefaultMessageListenerContainer container = activeMq.transactedContainer(queue, 1, listener);
        container.setErrorHandler(containerErrors::add);
        JmsDeduplication.applyTo(container, deduplicator);
        activeMq.start(container, 1);

        activeMq.publish(queue, Map.of(HEADER, "E5c"), "body");

        await().atMost(SETTLE).until(() -> runs.successesOf("E5c") == 1);
        awaitDrained(queue);
        assertThat(containerErrors).containsExactly(error);
        assertThat(store.releases()).isEqualTo(1);
        assertThat(runs.startsOf("E5c")).isEqualTo(2);
        assertThat(stateOf("E5c")).isEqualTo(ClaimState.COMPLETED);
    }

    private void startDeduplicated(Object listener) {
        DefaultMessageListenerContainer container = activeMq.transactedContainer(queue, 1, listener);
        JmsDeduplication.applyTo(container, deduplicator);
        activeMq.start(container, 1);
    }

    private MessageListener failingOnce(List<Integer> deliveryCounts) {
        return message -> {
            String id = TestListeners.idOf(message);
            try {
                deliveryCounts.add(message.getIntProperty("JMSXDeliveryCount"));
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
            if (runs.started(id) == 1) {
                throw new IllegalStateException("first attempt of " + id + " fails");
            }
            runs.succeeded(id);
        };
    }

    /** A POJO listener behind Spring's adapter, whose JSON body is converted before it is called. */
    private MessageListenerAdapter jsonAdapter() {
        JacksonJsonMessageConverter converter = new JacksonJsonMessageConverter();
        converter.setTypeIdPropertyName("_type");
        converter.setTypeIdMappings(Map.of("order", OrderPlaced.class));
        MessageListenerAdapter adapter = new MessageListenerAdapter(new OrderHandler(runs));
        adapter.setMessageConverter(converter);
        return adapter;
    }

    private ClaimState stateOf(String eventId) {
        return store.inspect(deduplicator.settings().keyFor(eventId)).state();
    }

    /** The event the JSON body holds. */
    public record OrderPlaced(String orderId) {
    }

    /** The POJO the adapter calls with the converted body; it counts runs by order id. */
    public static final class OrderHandler {

        private final HandlerRuns runs;

        OrderHandler(HandlerRuns runs) {
            this.runs = runs;
        }

        /** Called by the adapter's default listener method name. */
        public void handleMessage(OrderPlaced order) {
            runs.started(order.orderId());
            runs.succeeded(order.orderId());
        }
    }

    /** An {@link Error} a handler throws, as a broken library might. */
    private static final class HandlerBrokeError extends Error {

        private static final long serialVersionUID = 1L;

        HandlerBrokeError() {
            super("handler broke");
        }
    }
}

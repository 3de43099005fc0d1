package io.github.listenerdedup.it.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.it.TestServices;
import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import io.github.listenerdedup.rabbit.BatchResults;
import io.github.listenerdedup.rabbit.RabbitDeduplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BatchMessageListener;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.listener.MethodRabbitListenerEndpoint;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConversionException;

/**
 * Consumer batches ({@code consumerBatchEnabled}) on the real broker, and C17, one bad message in a batch: the
 * batch's ids are claimed in one call, duplicates leave the list before the listener sees it; with AUTO
 * acknowledgement the container settles the batch as a whole, with MANUAL each message is settled on its own as the
 * listener reports it through {@link BatchResults}.
 */
class RabbitConsumerBatchIT extends RabbitCaseSupport {

    private static final String HEADER = DedupSettings.DEFAULT_HEADER_NAME;
    private static final List<String> C17 = List.of("E17a", "E17b", "E17c");

    private final List<List<String>> batchesSeen = new CopyOnWriteArrayList<>();

    @Test
    void shouldClaimBatchInOneCallAndHandListenerOnlyNewIdsWhenContainerSettlesWholeBatch() {
        TestQueue queue = broker.declareQueue("batch-auto");
        completeElsewhere("E2");
        for (String id : List.of("E1", "E2", "E3", "E3", "E4")) {
            broker.publish(queue, Map.of(HEADER, id), id);
        }

        start(queue, 5, AcknowledgeMode.AUTO, (BatchMessageListener) this::recordBatch);

        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(batchesSeen).containsExactly(List.of("E1", "E3", "E4"));
        assertThat(store.batchClaimCalls()).isEqualTo(1);
        assertThat(store.claimCalls()).isEqualTo(4);
        assertThat(outcomeCount(DeliveryOutcome.PROCESSED)).isEqualTo(3);
        assertThat(outcomeCount(DeliveryOutcome.DUPLICATE)).isEqualTo(2);
        assertThat(List.of("E1", "E3", "E4")).allSatisfy(id -> assertThat(stateOf(id)).isEqualTo(ClaimState.COMPLETED));
    }

    @Test
    void shouldReleaseEveryClaimAndDeadLetterWholeBatchWhenBatchListenerFailsUnderAutoAcknowledgement() {
        TestQueue queue = broker.declareQueue("c17-auto");
        publishC17(queue, "E17b");
        JacksonJsonMessageConverter converter = new JacksonJsonMessageConverter();

        start(queue, C17.size(), AcknowledgeMode.AUTO, (BatchMessageListener) messages -> {
            recordBatch(messages);
            messages.forEach(converter::fromMessage);
        });

        await().atMost(SETTLE_TIMEOUT).until(() -> broker.deadLetterCount(queue) == C17.size());
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(batchesSeen).containsExactly(C17);
        assertThat(store.batchClaimCalls()).isEqualTo(1);
        assertThat(C17).allSatisfy(id -> assertThat(stateOf(id)).isEqualTo(ClaimState.RELEASED));
        assertThat(outcomeCount(DeliveryOutcome.RELEASED)).isEqualTo(C17.size());
    }

    @ParameterizedTest(name = "the message that cannot be converted: {0}")
    @ValueSource(strings = {"E17b", "E17c"})
    void shouldReleaseOnlyTheMessageSpringsBatchAdapterRejectsUnderAutoAcknowledgement(String bad) throws Exception {
        TestQueue queue = broker.declareQueue("c17-adapter");
        publishC17(queue, bad);
        OrdersBatchListener listener = new OrdersBatchListener();

        jsonBatchContainer(queue, listener).start();

        await().atMost(SETTLE_TIMEOUT).until(() -> broker.deadLetterCount(queue) == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(listener.items).containsExactlyElementsOf(C17.stream().filter(id -> !id.equals(bad)).toList());
        assertThat(stateOf(bad)).isEqualTo(ClaimState.RELEASED);
        assertThat(C17).filteredOn(id -> !id.equals(bad))
                .allSatisfy(id -> assertThat(stateOf(id)).isEqualTo(ClaimState.COMPLETED));
    }

    @Test
    void shouldHoldThenRequeueWholeBatchWithoutRunningWhileAnotherDeliveryHoldsOneId() {
        TestQueue queue = broker.declareQueue("batch-in-flight");
        OwnerToken holder = OwnerToken.random();
        TestServices.sharedRedisStore().claim(key("E2"), holder, null, Duration.ofSeconds(30));
        broker.publish(queue, Map.of(HEADER, "E1"), "E1");
        broker.publish(queue, Map.of(HEADER, "E2"), "E2");

        start(queue, 2, AcknowledgeMode.AUTO, (BatchMessageListener) this::recordBatch);

        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.IN_FLIGHT_REQUEUED) >= 2);
        assertThat(batchesSeen).as("no listener run while one id of the batch is in progress").isEmpty();
        assertThat(broker.isDrained(queue)).as("the held batch is never acknowledged").isFalse();
        TestServices.sharedRedisStore().complete(key("E2"), holder, Duration.ofMinutes(10));

        await().atMost(SETTLE_TIMEOUT).until(() -> stateOf("E1") == ClaimState.COMPLETED);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(batchesSeen).containsExactly(List.of("E1"));
        assertThat(store.claimsAnswered(ClaimResult.Status.IN_PROGRESS)).isPositive();
    }

    @Test
    void shouldDeadLetterOnlyTheBadMessageAndCompleteTheOthersWhenListenerReportsPerMessageResults() {
        TestQueue queue = broker.declareQueue("c17-manual");
        publishC17(queue, "E17b");
        JacksonJsonMessageConverter converter = new JacksonJsonMessageConverter();
        start(queue, 3, AcknowledgeMode.MANUAL, (ChannelAwareBatchMessageListener) (messages, channel) -> {
            recordBatch(messages);
            BatchResults results = BatchResults.current();
            for (Message message : messages) {
                try {
                    converter.fromMessage(message);
                    runs.started(idOf(message));
                } catch (MessageConversionException e) {
                    results.rejected(message, e);
                }
            }
        });

        await().atMost(SETTLE_TIMEOUT).until(() -> broker.deadLetterCount(queue) == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(batchesSeen).containsExactly(C17);
        assertThat(runs.startsOf("E17a")).isEqualTo(1);
        assertThat(runs.startsOf("E17c")).isEqualTo(1);
        assertThat(stateOf("E17a")).isEqualTo(ClaimState.COMPLETED);
        assertThat(stateOf("E17c")).isEqualTo(ClaimState.COMPLETED);
        assertThat(stateOf("E17b")).isEqualTo(ClaimState.RELEASED);
        assertThat(outcomeCount(DeliveryOutcome.PROCESSED)).isEqualTo(2);
        assertThat(broker.takeDeadLetters(queue)).map(headers -> String.valueOf(headers.get(HEADER)))
                .as("the event id of the dead-lettered message").containsExactly("E17b");

        broker.publish(queue, Map.of(HEADER, "E17a"), "{}");
        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.DUPLICATE) == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
    }

    @Test
    void shouldRedeliverOnlyTheFailedMessageWhenListenerAlsoAcknowledgesWholeBatchOnChannel() {
        TestQueue queue = broker.declareQueue("batch-manual-failed");
        for (String id : List.of("E1", "E2", "E3")) {
            broker.publish(queue, Map.of(HEADER, id), id);
        }
        start(queue, 3, AcknowledgeMode.MANUAL, (ChannelAwareBatchMessageListener) (messages, channel) -> {
            recordBatch(messages);
            for (Message message : messages) {
                if (runs.started(idOf(message)) == 1 && idOf(message).equals("E2")) {
                    BatchResults.current().failed(message, new IllegalStateException("E2 fails once"));
                }
            }
            long lastTag = messages.get(messages.size() - 1).getMessageProperties().getDeliveryTag();
            try {
                channel.basicAck(lastTag, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        await().atMost(SETTLE_TIMEOUT).until(() -> stateOf("E2") == ClaimState.COMPLETED);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(batchesSeen).containsExactly(List.of("E1", "E2", "E3"), List.of("E2"));
        assertThat(List.of("E1", "E3")).allSatisfy(id -> assertThat(runs.startsOf(id)).isEqualTo(1));
        assertThat(runs.startsOf("E2")).isEqualTo(2);
        assertThat(broker.deadLetterCount(queue)).isZero();
    }

    private void start(TestQueue queue, int batchSize, AcknowledgeMode mode,
            MessageListener listener) {
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, 1);
        container.setConsumerBatchEnabled(true);
        container.setBatchSize(batchSize);
        container.setReceiveTimeout(1_000);
        container.setAcknowledgeMode(mode);
        container.setMessageListener(listener);
        RabbitDeduplication.applyTo(container, deduplicator(settings().inFlightWait(Duration.ofSeconds(1)).build()));
        container.start();
    }

    private SimpleMessageListenerContainer jsonBatchContainer(TestQueue queue, OrdersBatchListener listener)
            throws NoSuchMethodException {
        SimpleRabbitListenerContainerFactory factory = jsonFactory();
        factory.setBatchListener(true);
        factory.setConsumerBatchEnabled(true);
        factory.setBatchSize(C17.size());
        factory.setReceiveTimeout(1_000L);
        MethodRabbitListenerEndpoint endpoint = methodEndpoint(queue, listener,
                OrdersBatchListener.class.getMethod("handle", List.class));
        endpoint.setBatchListener(true);
        return broker.track(factory.createListenerContainer(endpoint));
    }

    private void publishC17(TestQueue queue, String bad) {
        for (String id : C17) {
            String json = id.equals(bad) ? "" : "{\"item\":\"" + id + "\"}";
            broker.template().send("", queue.name(), MessageBuilder.withBody(json.getBytes(StandardCharsets.UTF_8))
                    .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                    .setHeader(HEADER, id)
                    .build());
        }
    }

    private void recordBatch(List<Message> messages) {
        batchesSeen.add(messages.stream().map(RabbitConsumerBatchIT::idOf).toList());
    }

    private void completeElsewhere(String eventId) {
        OwnerToken token = OwnerToken.random();
        TestServices.sharedRedisStore().claim(key(eventId), token, null, Duration.ofSeconds(30));
        TestServices.sharedRedisStore().complete(key(eventId), token, Duration.ofMinutes(10));
    }

    private ClaimKey key(String eventId) {
        return settings().build().keyFor(eventId);
    }

    private static String idOf(Message message) {
        return String.valueOf(message.getMessageProperties().getHeaders().get(HEADER));
    }

    /** The body of an order event. */
    public record Order(String item) {
    }

    /** A POJO batch listener, as a {@code @RabbitListener} method taking a list would be written. */
    public static final class OrdersBatchListener {

        private final List<String> items = new CopyOnWriteArrayList<>();

        /** Handles a batch of orders. */
        public void handle(List<Order> orders) {
            orders.forEach(order -> items.add(order.item()));
        }
    }
}

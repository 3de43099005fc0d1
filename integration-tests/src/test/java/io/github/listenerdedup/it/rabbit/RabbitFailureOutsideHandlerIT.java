package io.github.listenerdedup.it.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import io.github.listenerdedup.rabbit.DeduplicatingAdvice;
import io.github.listenerdedup.rabbit.RabbitDeduplication;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.ConditionalRejectingErrorHandler;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * C05: a failure outside the handler (a message conversion, another advice, a {@code java.lang.Error}) releases the
 * claim, never leaving it in progress until its lease runs out, and a corrected replay runs once.
 */
class RabbitFailureOutsideHandlerIT extends RabbitCaseSupport {

    private static final String EVENT = "E5";

    @Test
    void shouldReleaseClaimAndDeadLetterWhenJsonConversionFails() throws Exception {
        TestQueue queue = broker.declareQueue("c05a");
        OrderListener listener = new OrderListener();
        SimpleMessageListenerContainer container = jsonListenerContainer(queue, listener);
        container.start();
        broker.awaitConsumers(queue, 1);

        publishJson(queue, "{");

        await().atMost(SETTLE_TIMEOUT).until(() -> broker.deadLetterCount(queue) == 1);
        assertThat(listener.runs).hasValue(0);
        assertThat(store.releases()).isEqualTo(1);
        assertThat(stateOf(EVENT)).isEqualTo(ClaimState.RELEASED);

        publishJson(queue, "{\"item\":\"book\"}");

        await().atMost(SETTLE_TIMEOUT).until(() -> stateOf(EVENT) == ClaimState.COMPLETED);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(listener.runs).hasValue(1);
        assertThat(listener.items).containsExactly("book");
        assertThat(broker.deadLetterCount(queue)).isEqualTo(1);
    }

    @Test
    void shouldReleaseClaimAndNackWhenAdviceAfterOursThrows() {
        TestQueue queue = broker.declareQueue("c05b");
        AtomicInteger adviceCalls = new AtomicInteger();
        MethodInterceptor failingOnce = invocation -> {
            if (adviceCalls.incrementAndGet() == 1) {
                throw new IllegalStateException("the advice after deduplication fails once");
            }
            return invocation.proceed();
        };
        List<ClaimState> statesWhenFailed = new CopyOnWriteArrayList<>();
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, 1);
        container.setMessageListener(countingListener());
        container.setErrorHandler(error -> {
            statesWhenFailed.add(stateOf(EVENT));
            new ConditionalRejectingErrorHandler().handleError(error);
        });
        container.setAdviceChain(new DeduplicatingAdvice(deduplicator(settings().build())), failingOnce);
        container.start();

        broker.publish(queue, Map.of(DedupSettings.DEFAULT_HEADER_NAME, EVENT), EVENT);

        await().atMost(SETTLE_TIMEOUT).until(() -> stateOf(EVENT) == ClaimState.COMPLETED);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(statesWhenFailed).containsExactly(ClaimState.RELEASED);
        assertThat(store.releases()).isEqualTo(1);
        assertThat(adviceCalls).hasValue(2);
        assertThat(runs.startsOf(EVENT)).isEqualTo(1);
        assertThat(broker.deadLetterCount(queue)).isZero();
    }

    @Test
    void shouldReleaseClaimAndPropagateErrorWhenHandlerThrowsError() throws Exception {
        TestQueue queue = broker.declareQueue("c05c");
        HandlerError handlerError = new HandlerError();
        List<Error> errorsSeen = new CopyOnWriteArrayList<>();
        List<ClaimState> statesWhenThrown = new CopyOnWriteArrayList<>();
        List<Integer> runsWhenThrown = new CopyOnWriteArrayList<>();
        CountDownLatch errorSeen = new CountDownLatch(1);
        DirectMessageListenerContainer container = broker.directContainer(queue, 1);
        container.setMonitorInterval(100);
        container.setFailedDeclarationRetryInterval(100);
        container.setJavaLangErrorHandler(error -> {
            statesWhenThrown.add(stateOf(EVENT));
            runsWhenThrown.add(runs.startsOf(EVENT));
            errorsSeen.add(error);
            errorSeen.countDown();
        });
        container.setMessageListener(message -> {
            String eventId = bodyOf(message);
            if (runs.started(eventId) == 1 && EVENT.equals(eventId)) {
                throw handlerError;
            }
            runs.succeeded(eventId);
        });
        RabbitDeduplication.applyTo(container, deduplicator(settings().build()));
        container.start();
        broker.awaitConsumers(queue, 1);

        broker.publish(queue, Map.of(DedupSettings.DEFAULT_HEADER_NAME, EVENT), EVENT);

        assertThat(errorSeen.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(errorsSeen).containsExactly(handlerError);
        assertThat(statesWhenThrown).containsExactly(ClaimState.RELEASED);
        assertThat(runsWhenThrown).containsExactly(1);
        await().atMost(SETTLE_TIMEOUT).until(() -> runs.successesOf(EVENT) == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.startsOf(EVENT)).isEqualTo(2);
        assertThat(stateOf(EVENT)).isEqualTo(ClaimState.COMPLETED);

        broker.publish(queue, Map.of(DedupSettings.DEFAULT_HEADER_NAME, "E5-after"), "E5-after");
        await().atMost(SETTLE_TIMEOUT).until(() -> runs.successesOf("E5-after") == 1);
    }

    private SimpleMessageListenerContainer jsonListenerContainer(TestQueue queue, OrderListener listener)
            throws NoSuchMethodException {
        Method handle = OrderListener.class.getMethod("handle", Order.class);
        return broker.track(jsonFactory().createListenerContainer(methodEndpoint(queue, listener, handle)));
    }

    private void publishJson(TestQueue queue, String json) {
        broker.template().send("", queue.name(), MessageBuilder
                .withBody(json.getBytes(StandardCharsets.UTF_8))
                .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                .setHeader(DedupSettings.DEFAULT_HEADER_NAME, EVENT)
                .build());
    }

    /** The body of an order event. */
    public record Order(String item) {
    }

    /** A POJO listener, as a {@code @RabbitListener} method would be written. */
    public static final class OrderListener {

        private final AtomicInteger runs = new AtomicInteger();
        private final List<String> items = new CopyOnWriteArrayList<>();

        /** Handles one order. */
        public void handle(Order order) {
            runs.incrementAndGet();
            items.add(order.item());
        }
    }

    /** What the handler throws: an Error, which Spring AMQP hands to its Error handler. */
    private static final class HandlerError extends Error {

        HandlerError() {
            super("the handler failed with an Error");
        }
    }
}

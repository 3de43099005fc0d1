package io.github.listenerdedup.it.rabbit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.it.rabbit.RabbitTestBroker.TestQueue;
import io.github.listenerdedup.rabbit.DeduplicatingAdvice;
import io.github.listenerdedup.rabbit.RabbitDeduplication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BatchMessageListener;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.config.AbstractRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.RetryInterceptorBuilder;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerEndpoint;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.MethodRabbitListenerEndpoint;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;

/**
 * How deduplication is installed: listener container factories and plain containers refuse, when the container is
 * created, the settings deduplication cannot honour; the advices already in the chain stay and run around it.
 */
class RabbitInstallationIT extends RabbitCaseSupport {

    private static final String LISTENER_ID = "orders";
    private static final String REFUSED = "Cannot install deduplication on listener 'orders': ";

    @Test
    void shouldRefuseAtStartUpWhenFactoryAcknowledgesWithNone() {
        SimpleRabbitListenerContainerFactory factory = deduplicatingFactory(new SimpleRabbitListenerContainerFactory());
        factory.setAcknowledgeMode(AcknowledgeMode.NONE);

        assertThatThrownBy(() -> factory.createListenerContainer(endpoint(countingListener())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(REFUSED + "acknowledgeMode must be AUTO or MANUAL, but was NONE: the broker forgets a "
                        + "message as soon as it delivers it, so a failed attempt could never be retried");
    }

    @Test
    void shouldRefuseAtStartUpWhenConsumerBatchesGoToListenerOfSingleMessages() {
        SimpleRabbitListenerContainerFactory factory = deduplicatingFactory(new SimpleRabbitListenerContainerFactory());
        factory.setConsumerBatchEnabled(true);
        MessageListener listener = countingListener();

        assertThatThrownBy(() -> factory.createListenerContainer(endpoint(listener)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(REFUSED + "the message listener must take batches when consumerBatchEnabled is true, but "
                        + "was " + listener.getClass().getName() + ": implement BatchMessageListener or "
                        + "ChannelAwareBatchMessageListener");
    }

    @Test
    void shouldInstallAtStartUpWhenDirectFactoryAcknowledgesManuallyOrFactoryMakesConsumerBatches() {
        DirectRabbitListenerContainerFactory direct = deduplicatingFactory(new DirectRabbitListenerContainerFactory());
        direct.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        SimpleRabbitListenerContainerFactory batching =
                deduplicatingFactory(new SimpleRabbitListenerContainerFactory());
        batching.setBatchListener(true);
        batching.setConsumerBatchEnabled(true);

        AbstractMessageListenerContainer manual = direct.createListenerContainer(endpoint(countingListener()));
        AbstractMessageListenerContainer batches = batching.createListenerContainer(
                endpoint(new OrdersBatchListener()));

        assertThat(manual.getAcknowledgeMode()).isEqualTo(AcknowledgeMode.MANUAL);
        assertThat(((SimpleMessageListenerContainer) batches).isConsumerBatchEnabled()).isTrue();
    }

    @Test
    void shouldRefuseAtStartUpWhenListenerRepliesAsynchronously() throws Exception {
        SimpleRabbitListenerContainerFactory factory = deduplicatingFactory(new SimpleRabbitListenerContainerFactory());
        DefaultMessageHandlerMethodFactory handlerMethodFactory = new DefaultMessageHandlerMethodFactory();
        handlerMethodFactory.afterPropertiesSet();
        MethodRabbitListenerEndpoint endpoint = new MethodRabbitListenerEndpoint();
        endpoint.setId(LISTENER_ID);
        endpoint.setQueueNames(LISTENER_ID);
        endpoint.setBean(new AsyncOrdersListener());
        endpoint.setMethod(AsyncOrdersListener.class.getMethod("handle", String.class));
        endpoint.setMessageHandlerMethodFactory(handlerMethodFactory);

        assertThatThrownBy(() -> factory.createListenerContainer(endpoint))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(REFUSED + "asyncReplies must be false, but was true: the listener returns a "
                        + "CompletableFuture or Mono and is acknowledged when that completes, after the advice has "
                        + "returned, which is not supported yet");
    }

    @Test
    void shouldRefuseWhenContainerIsAlreadyRunning() {
        TestQueue queue = broker.declareQueue("running");
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, 1);
        container.setListenerId(LISTENER_ID);
        container.setMessageListener(countingListener());
        container.start();

        assertThatThrownBy(() -> RabbitDeduplication.applyTo(container, deduplicator(settings().build())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(REFUSED + "the container must not be running, but it is: install deduplication before "
                        + "the container starts");
    }

    @Test
    void shouldRunDeduplicationInsideFactoryAdviceWhenFactoryHasAdviceChain() {
        TestQueue queue = broker.declareQueue("factory-chain");
        StateRecordingAdvice existing = new StateRecordingAdvice("E-chain");
        startFromFactory(queue, existing, countingListener());

        publishTwice(queue, "E-chain");

        assertExistingAdviceRanAroundDeduplication(queue, existing, "E-chain");
    }

    @Test
    void shouldRunGivenAdvicesBeforeDeduplicationWhenInstalledOnContainer() {
        TestQueue queue = broker.declareQueue("container-chain");
        StateRecordingAdvice existing = new StateRecordingAdvice("E-chain");
        DirectMessageListenerContainer container = broker.directContainer(queue, 1);
        container.setMessageListener(countingListener());
        RabbitDeduplication.applyTo(container, new DeduplicatingAdvice(deduplicator(settings().build())), existing);
        container.start();

        publishTwice(queue, "E-chain");

        assertExistingAdviceRanAroundDeduplication(queue, existing, "E-chain");
    }

    @Test
    void shouldAppendToContainersOwnChainSoItsAdviceRunsAroundDeduplication() {
        TestQueue queue = broker.declareQueue("own-chain");
        StateRecordingAdvice existing = new StateRecordingAdvice("E-chain");
        SimpleMessageListenerContainer container = broker.simpleContainer(queue, 1);
        container.setMessageListener(countingListener());
        container.setAdviceChain(existing);
        RabbitDeduplication.applyTo(container, deduplicator(settings().build()));
        container.start();

        publishTwice(queue, "E-chain");

        assertExistingAdviceRanAroundDeduplication(queue, existing, "E-chain");
    }

    @Test
    void shouldRunStatelessRetriesInsideOneClaimWhenChainHoldsStatelessRetryAdvice() {
        TestQueue queue = broker.declareQueue("stateless-retry");
        startWithRetryAdvice(queue, RetryInterceptorBuilder.stateless()
                .configureRetryPolicy(policy -> policy.maxRetries(2).delay(Duration.ofMillis(10))).build(), 3);

        publishTwice(queue, "E-retried");

        await().atMost(SETTLE_TIMEOUT).until(() -> outcomeCount(DeliveryOutcome.DUPLICATE) == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.startsOf("E-retried")).isEqualTo(3);
        assertThat(store.claimsAnswered(ClaimResult.Status.ACQUIRED)).as("one claim for every retry").isEqualTo(1);
        assertThat(store.releases()).isZero();
        assertThat(stateOf("E-retried")).isEqualTo(ClaimState.COMPLETED);
    }

    @Test
    void shouldClaimEachRedeliveryWhenChainHoldsStatefulRetryAdvice() {
        TestQueue queue = broker.declareQueue("stateful-retry");
        startWithRetryAdvice(queue, RetryInterceptorBuilder.stateful()
                .configureRetryPolicy(policy -> policy.maxRetries(3).delay(Duration.ofMillis(10))).build(), 2);

        broker.template().send("", queue.name(), MessageBuilder.withBody("E-redelivered".getBytes(UTF_8))
                .setHeader(DedupSettings.DEFAULT_HEADER_NAME, "E-redelivered").setMessageId("M-redelivered").build());

        await().atMost(SETTLE_TIMEOUT).until(() -> runs.successesOf("E-redelivered") == 1);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.startsOf("E-redelivered")).isEqualTo(2);
        assertThat(store.releases()).isEqualTo(1);
        assertThat(store.inspect(settings().build().keyFor("E-redelivered")).attempts()).isEqualTo(2);
    }

    /** Starts a factory-made container with a retry advice, whose listener succeeds on the given attempt. */
    private void startWithRetryAdvice(TestQueue queue, Advice retry, int succeedingAttempt) {
        startFromFactory(queue, retry, message -> {
            if (runs.started(bodyOf(message)) < succeedingAttempt) {
                throw new IllegalStateException("fails before attempt " + succeedingAttempt);
            }
            runs.succeeded(bodyOf(message));
        });
    }

    /** Starts a container that a deduplicating factory with an advice chain of its own makes. */
    private void startFromFactory(TestQueue queue, Advice factoryAdvice, MessageListener listener) {
        SimpleRabbitListenerContainerFactory factory = deduplicatingFactory(new SimpleRabbitListenerContainerFactory());
        factory.setAdviceChain(factoryAdvice);
        SimpleRabbitListenerEndpoint endpoint = endpoint(listener);
        endpoint.setQueueNames(queue.name());
        broker.track(factory.createListenerContainer(endpoint)).start();
    }

    private void publishTwice(TestQueue queue, String eventId) {
        broker.publish(queue, Map.of(DedupSettings.DEFAULT_HEADER_NAME, eventId), eventId);
        broker.publish(queue, Map.of(DedupSettings.DEFAULT_HEADER_NAME, eventId), eventId);
    }

    private void assertExistingAdviceRanAroundDeduplication(TestQueue queue, StateRecordingAdvice existing,
            String eventId) {
        await().atMost(SETTLE_TIMEOUT).until(() -> existing.exits.size() == 2);
        await().atMost(SETTLE_TIMEOUT).until(() -> broker.isDrained(queue));
        assertThat(runs.startsOf(eventId)).isEqualTo(1);
        assertThat(existing.entries).as("the existing advice runs before deduplication claims")
                .containsExactly(ClaimState.ABSENT, ClaimState.COMPLETED);
        assertThat(existing.exits).as("and ends after deduplication completed the claim")
                .containsExactly(ClaimState.COMPLETED, ClaimState.COMPLETED);
    }

    private <C extends AbstractMessageListenerContainer, F extends AbstractRabbitListenerContainerFactory<C>> F
            deduplicatingFactory(F factory) {
        Deduplicator deduplicator = deduplicator(settings().build());
        factory.setConnectionFactory(broker.connectionFactory());
        factory.setPrefetchCount(RabbitTestBroker.PREFETCH);
        factory.setContainerCustomizer(RabbitDeduplication.customizer(factory, deduplicator));
        return factory;
    }

    private static SimpleRabbitListenerEndpoint endpoint(MessageListener listener) {
        SimpleRabbitListenerEndpoint endpoint = new SimpleRabbitListenerEndpoint();
        endpoint.setId(LISTENER_ID);
        endpoint.setQueueNames(LISTENER_ID);
        endpoint.setMessageListener(listener);
        return endpoint;
    }

    /** An advice that records the claim state of one event when it is entered and when it returns. */
    private final class StateRecordingAdvice implements MethodInterceptor {

        private final String eventId;
        private final List<ClaimState> entries = new CopyOnWriteArrayList<>();
        private final List<ClaimState> exits = new CopyOnWriteArrayList<>();

        private StateRecordingAdvice(String eventId) {
            this.eventId = eventId;
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            entries.add(stateOf(eventId));
            try {
                return invocation.proceed();
            } finally {
                exits.add(stateOf(eventId));
            }
        }
    }

    /** A listener that takes a batch of messages. */
    private static final class OrdersBatchListener implements BatchMessageListener {

        @Override
        public void onMessageBatch(List<Message> messages) {
        }
    }

    /** A POJO listener that replies asynchronously, as a {@code @RabbitListener} method returning a future. */
    public static final class AsyncOrdersListener {

        /** Handles one order, later. */
        public CompletableFuture<String> handle(String order) {
            return CompletableFuture.completedFuture(order);
        }
    }
}

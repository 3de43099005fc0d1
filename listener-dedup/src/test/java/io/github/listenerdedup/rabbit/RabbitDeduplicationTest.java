package io.github.listenerdedup.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.store.memory.InMemoryClaimStore;
import java.util.List;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BatchMessageListener;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.config.RetryInterceptorBuilder;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerEndpoint;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

class RabbitDeduplicationTest {

    private static final MessageListener LISTENER = message -> { };
    private static final MethodInterceptor EXISTING = invocation -> invocation.proceed();

    private final Deduplicator deduplicator =
            new Deduplicator(DedupSettings.builder().group("orders").build(), new InMemoryClaimStore());

    @Test
    void shouldAppendAdviceAfterGivenChainWhenInstalled() {
        InspectableContainer container = container("orders");
        DeduplicatingAdvice advice = new DeduplicatingAdvice(deduplicator);

        RabbitDeduplication.applyTo(container, advice, EXISTING);

        assertThat(container.chain()).containsExactly(EXISTING, advice);
        assertThat(advice.listenerName()).isEqualTo("orders");
    }

    @Test
    void shouldInstallAsOnlyAdviceWhenNoChainIsGiven() {
        InspectableContainer container = container("orders");

        DeduplicatingAdvice advice = RabbitDeduplication.applyTo(container, deduplicator);

        assertThat(container.chain()).containsExactly(advice);
    }

    @Test
    void shouldNameListenerByQueuesWhenItHasNoId() {
        InspectableContainer container = container(null);
        container.setQueueNames("q1", "q2");

        DeduplicatingAdvice advice = RabbitDeduplication.applyTo(container, deduplicator);

        assertThat(advice.listenerName()).isEqualTo("queues q1, q2");
    }

    @Test
    void shouldRefuseWhenAcknowledgeModeIsNone() {
        SimpleMessageListenerContainer container = container("orders");
        container.setAcknowledgeMode(AcknowledgeMode.NONE);

        assertRefused(container, "Cannot install deduplication on listener 'orders': acknowledgeMode must be AUTO or "
                + "MANUAL, but was NONE: the broker forgets a message as soon as it delivers it, so a failed attempt "
                + "could never be retried");
    }

    @Test
    void shouldInstallWhenDirectContainerAcknowledgesManually() {
        DirectMessageListenerContainer container = new DirectMessageListenerContainer();
        container.setListenerId("orders");
        container.setMessageListener(LISTENER);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);

        DeduplicatingAdvice advice = RabbitDeduplication.applyTo(container, deduplicator);

        assertThat(advice.listenerName()).isEqualTo("orders");
    }

    @Test
    void shouldInstallWhenConsumerBatchesGoToBatchListener() {
        InspectableContainer container = container("orders");
        container.setMessageListener((BatchMessageListener) messages -> { });
        container.setConsumerBatchEnabled(true);

        DeduplicatingAdvice advice = RabbitDeduplication.applyTo(container, deduplicator);

        assertThat(container.chain()).containsExactly(advice);
    }

    @Test
    void shouldRefuseWhenConsumerBatchesGoToListenerOfSingleMessages() {
        SimpleMessageListenerContainer container = container("orders");
        container.setConsumerBatchEnabled(true);

        assertRefused(container, "Cannot install deduplication on listener 'orders': the message listener must take "
                + "batches when consumerBatchEnabled is true, but was " + LISTENER.getClass().getName()
                + ": implement BatchMessageListener or ChannelAwareBatchMessageListener");
    }

    @Test
    void shouldAppendAfterContainersOwnChainWhenInstalled() {
        InspectableContainer container = container("orders");
        container.setAdviceChain(EXISTING);

        DeduplicatingAdvice advice = RabbitDeduplication.applyTo(container, deduplicator);

        assertThat(container.chain()).containsExactly(EXISTING, advice);
    }

    @Test
    void shouldGoBeforeStatelessRetryAndAfterStatefulRetryWhenChainHoldsThem() {
        InspectableContainer container = container("orders");
        MethodInterceptor stateful = RetryInterceptorBuilder.stateful().build();
        MethodInterceptor stateless = RetryInterceptorBuilder.stateless().build();
        container.setAdviceChain(stateful, EXISTING, stateless);

        DeduplicatingAdvice advice = RabbitDeduplication.applyTo(container, deduplicator);

        assertThat(container.chain()).containsExactly(stateful, EXISTING, advice, stateless);
    }

    @Test
    void shouldRefuseWhenListenerRepliesAsynchronously() {
        SimpleMessageListenerContainer container = container("orders");
        container.setMessageListener(new AsyncListener());

        assertRefused(container, "Cannot install deduplication on listener 'orders': asyncReplies must be false, but "
                + "was true: the listener returns a CompletableFuture or Mono and is acknowledged when that "
                + "completes, after the advice has returned, which is not supported yet");
    }

    @Test
    void shouldRefuseWhenListenerIsNotSetYet() {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer();
        container.setListenerId("orders");

        assertRefused(container, "Cannot install deduplication on listener 'orders': messageListener must be set "
                + "before installing, but was null: set the listener first, so that its kind can be checked");
    }

    @Test
    void shouldRefuseWhenInstalledTwiceOnOneContainer() {
        InspectableContainer container = container("orders");
        DeduplicatingAdvice first = RabbitDeduplication.applyTo(container, deduplicator);

        assertRefused(container, "Cannot install deduplication on listener 'orders': deduplication is already "
                + "installed on this container");
        assertThat(container.chain()).containsExactly(first);
    }

    @Test
    void shouldRefuseWhenOneAdviceIsInstalledOnTwoContainers() {
        DeduplicatingAdvice advice = new DeduplicatingAdvice(deduplicator);
        RabbitDeduplication.applyTo(container("orders"), advice);

        assertThatThrownBy(() -> RabbitDeduplication.applyTo(container("invoices"), advice))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot install deduplication on listener 'invoices': this DeduplicatingAdvice is already "
                        + "installed on listener 'orders': create one advice per container");
    }

    @Test
    void shouldRefuseWhenGivenChainHoldsAnotherDeduplicatingAdvice() {
        DeduplicatingAdvice other = new DeduplicatingAdvice(deduplicator);

        assertThatThrownBy(() -> RabbitDeduplication.applyTo(container("orders"),
                new DeduplicatingAdvice(deduplicator), EXISTING, other))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot install deduplication on listener 'orders': adviceChain must not hold another "
                        + "DeduplicatingAdvice, but held one at position 1");
    }

    @Test
    void shouldAppendAfterFactoryChainWhenFactoryCreatesContainer() {
        InspectingFactory factory = new InspectingFactory();
        factory.setAdviceChain(EXISTING);
        factory.setContainerCustomizer(RabbitDeduplication.customizer(factory, deduplicator));

        InspectableContainer container = factory.createListenerContainer(endpoint("orders", LISTENER));

        assertThat(container.chain()).hasSize(2);
        assertThat(container.chain()[0]).isSameAs(EXISTING);
        assertThat(container.chain()[1]).isInstanceOf(DeduplicatingAdvice.class);
        assertThat(((DeduplicatingAdvice) container.chain()[1]).listenerName()).isEqualTo("orders");
    }

    @Test
    void shouldMakeOneAdvicePerContainerWhenFactoryCreatesSeveral() {
        InspectingFactory factory = new InspectingFactory();
        factory.setContainerCustomizer(RabbitDeduplication.customizer(factory, container -> new DeduplicatingAdvice(
                new Deduplicator(deduplicator.settings().toBuilder().group(container.getListenerId()).build(),
                        deduplicator.store()))));

        List<String> groups = List.of("billing", "email").stream()
                .map(id -> factory.createListenerContainer(endpoint(id, LISTENER)))
                .map(container -> ((DeduplicatingAdvice) container.chain()[0]).deduplicator().settings().group())
                .toList();

        assertThat(groups).containsExactly("billing", "email");
    }

    @Test
    void shouldRefuseSecondContainerWhenFactoryCustomizerHoldsOneGroup() {
        InspectingFactory factory = new InspectingFactory();
        factory.setContainerCustomizer(RabbitDeduplication.customizer(factory, deduplicator));
        factory.createListenerContainer(endpoint("billing", LISTENER));

        assertThatThrownBy(() -> factory.createListenerContainer(endpoint("email", LISTENER)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot install deduplication on listener 'email': the factory's customizer holds one "
                        + "deduplicator, and so one group ('" + deduplicator.settings().group() + "'), already "
                        + "installed on listener 'billing'; two listeners in one group would skip each other's "
                        + "events: give each container its own group with RabbitDeduplication.customizer(factory, "
                        + "container -> ...)");
    }

    @Test
    void shouldRefuseAtContainerCreationWhenFactoryAcknowledgesWithNone() {
        InspectingFactory factory = new InspectingFactory();
        factory.setAcknowledgeMode(AcknowledgeMode.NONE);
        factory.setContainerCustomizer(RabbitDeduplication.customizer(factory, deduplicator));

        assertThatThrownBy(() -> factory.createListenerContainer(endpoint("orders", LISTENER)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot install deduplication on listener 'orders': acknowledgeMode must be "
                        + "AUTO or MANUAL, but was NONE");
    }

    private static void assertRefused(AbstractMessageListenerContainer container, String message) {
        assertThatThrownBy(() -> RabbitDeduplication.applyTo(container,
                new Deduplicator(DedupSettings.builder().group("orders").build(), new InMemoryClaimStore())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(message);
    }

    private static InspectableContainer container(String listenerId) {
        InspectableContainer container = new InspectableContainer();
        if (listenerId != null) {
            container.setListenerId(listenerId);
        }
        container.setMessageListener(LISTENER);
        return container;
    }

    private static SimpleRabbitListenerEndpoint endpoint(String id, MessageListener listener) {
        SimpleRabbitListenerEndpoint endpoint = new SimpleRabbitListenerEndpoint();
        endpoint.setId(id);
        endpoint.setQueueNames(id);
        endpoint.setMessageListener(listener);
        return endpoint;
    }

    /** A container whose advice chain a test can read, through the accessor subclasses are given. */
    private static final class InspectableContainer extends SimpleMessageListenerContainer {

        Advice[] chain() {
            return getAdviceChain();
        }
    }

    /** A factory that makes inspectable containers. */
    private static final class InspectingFactory extends SimpleRabbitListenerContainerFactory {

        @Override
        protected InspectableContainer createContainerInstance() {
            return new InspectableContainer();
        }

        @Override
        public InspectableContainer createListenerContainer(
                org.springframework.amqp.rabbit.listener.RabbitListenerEndpoint endpoint) {
            return (InspectableContainer) super.createListenerContainer(endpoint);
        }
    }

    /** A listener that replies asynchronously. */
    private static final class AsyncListener implements MessageListener {

        @Override
        public void onMessage(Message message) {
        }

        @Override
        public boolean isAsyncReplies() {
            return true;
        }
    }
}

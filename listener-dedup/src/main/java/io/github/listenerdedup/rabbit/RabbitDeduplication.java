package io.github.listenerdedup.rabbit;

import io.github.listenerdedup.core.Deduplicator;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.function.Function;
import org.aopalliance.aop.Advice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.config.AbstractRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;

/**
 * Installs a {@link DeduplicatingAdvice} on a Spring AMQP listener container ({@code SimpleMessageListenerContainer}
 * or {@code DirectMessageListenerContainer}), after checking that the container's settings suit it. It refuses, with
 * an {@link IllegalStateException} naming the setting, the rule and the value: {@code AcknowledgeMode.NONE} (the
 * broker forgets a message on delivery, so a failure could never be retried); {@code AcknowledgeMode.MANUAL},
 * consumer batches, batch listeners and listeners with asynchronous replies (not supported yet); a container that is
 * already running; and a second installation on the same container.
 *
 * <p>Deduplication goes last in the advice chain, after the advices already there, so it runs closest to the
 * listener. A container keeps its advice chain to itself: spring-rabbit 4.0 offers a setter and no public getter. So
 * the installer is what sets the chain, and the advices it must keep are passed to it:
 * <pre>{@code
 * container.setMessageListener(listener);
 * RabbitDeduplication.applyTo(container, new DeduplicatingAdvice(deduplicator), retryInterceptor);
 * container.start();
 * }</pre>
 * Install after the listener and the acknowledge mode are set, and before the container is initialized or started;
 * a later {@code setAdviceChain} on the container drops deduplication.
 *
 * <p>For {@code @RabbitListener} containers, the factory's customizer installs it on every container the factory
 * creates, after the factory's own advice chain, which it reads from the factory:
 * <pre>{@code
 * factory.setContainerCustomizer(RabbitDeduplication.customizer(factory, container -> new DeduplicatingAdvice(
 *         new Deduplicator(settings.toBuilder().group(container.getListenerId()).build(), store))));
 * }</pre>
 */
public final class RabbitDeduplication {

    private static final Logger log = LoggerFactory.getLogger(RabbitDeduplication.class);

    private static final Map<AbstractMessageListenerContainer, String> INSTALLED =
            Collections.synchronizedMap(new WeakHashMap<>());

    private RabbitDeduplication() {
    }

    /**
     * Installs deduplication that reads the id from the header named in the deduplicator's settings, as the only
     * advice of the container.
     *
     * @param container    the container, with its listener set and not yet started
     * @param deduplicator decides each delivery
     * @return the installed advice
     * @throws IllegalStateException when the container's settings are not supported
     */
    public static DeduplicatingAdvice applyTo(AbstractMessageListenerContainer container, Deduplicator deduplicator) {
        DeduplicatingAdvice advice = new DeduplicatingAdvice(deduplicator);
        applyTo(container, advice);
        return advice;
    }

    /**
     * Installs the advice as the only advice of the container.
     *
     * @param container the container, with its listener set and not yet started
     * @param advice    the advice, not installed anywhere yet
     * @throws IllegalStateException when the container's settings are not supported
     */
    public static void applyTo(AbstractMessageListenerContainer container, DeduplicatingAdvice advice) {
        applyTo(container, advice, new Advice[0]);
    }

    /**
     * Sets the container's advice chain to the given advices followed by deduplication.
     *
     * @param container   the container, with its listener set and not yet started
     * @param advice      the advice, not installed anywhere yet
     * @param adviceChain the advices the container should run before deduplication, in order
     * @throws IllegalStateException when the container's settings are not supported
     */
    public static void applyTo(AbstractMessageListenerContainer container, DeduplicatingAdvice advice,
            Advice... adviceChain) {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(advice, "advice");
        Objects.requireNonNull(adviceChain, "adviceChain");
        String name = ListenerNames.of(container);
        InstallationCheck.requireSupported(container, name, adviceChain);
        claimContainer(container, advice, name);
        Advice[] chain = Arrays.copyOf(adviceChain, adviceChain.length + 1);
        chain[adviceChain.length] = advice;
        container.setAdviceChain(chain);
        log.info("Installed deduplication on listener '{}' (group {}, header '{}') after {} other advice(s)", name,
                advice.deduplicator().settings().group(), advice.deduplicator().settings().headerName(),
                adviceChain.length);
    }

    /**
     * A customizer for a listener container factory that installs deduplication with one deduplicator, and so one
     * group, on every container the factory creates. Use it for a factory that serves one listener; otherwise give
     * each container its own group with {@link #customizer(AbstractRabbitListenerContainerFactory, Function)}.
     *
     * @param factory      the factory whose advice chain runs before deduplication
     * @param deduplicator decides each delivery
     * @param <C>          the container type
     * @return the customizer, to pass to {@code factory.setContainerCustomizer}
     */
    public static <C extends AbstractMessageListenerContainer> ContainerCustomizer<C> customizer(
            AbstractRabbitListenerContainerFactory<C> factory, Deduplicator deduplicator) {
        Objects.requireNonNull(deduplicator, "deduplicator");
        return customizer(factory, container -> new DeduplicatingAdvice(deduplicator));
    }

    /**
     * A customizer for a listener container factory that installs an advice made for each container the factory
     * creates, after the factory's own advice chain (read from the factory when the container is created). The
     * customizer refuses a container whose settings are not supported, so the listener fails at start-up.
     *
     * @param factory       the factory whose advice chain runs before deduplication
     * @param adviceFactory makes the advice for a container, for example with a group from its listener id
     * @param <C>           the container type
     * @return the customizer, to pass to {@code factory.setContainerCustomizer}
     */
    public static <C extends AbstractMessageListenerContainer> ContainerCustomizer<C> customizer(
            AbstractRabbitListenerContainerFactory<C> factory, Function<? super C, DeduplicatingAdvice> adviceFactory) {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(adviceFactory, "adviceFactory");
        return container -> {
            Advice[] factoryChain = factory.getAdviceChain();
            applyTo(container, adviceFactory.apply(container), factoryChain == null ? new Advice[0] : factoryChain);
        };
    }

    private static void claimContainer(AbstractMessageListenerContainer container, DeduplicatingAdvice advice,
            String name) {
        synchronized (INSTALLED) {
            if (INSTALLED.containsKey(container)) {
                throw InstallationCheck.refusal(name, "deduplication is already installed on this container");
            }
            String boundBefore = advice.bindTo(name);
            if (boundBefore != null) {
                throw InstallationCheck.refusal(name, "this DeduplicatingAdvice is already installed on listener '"
                        + boundBefore + "': create one advice per container");
            }
            INSTALLED.put(container, name);
        }
    }
}

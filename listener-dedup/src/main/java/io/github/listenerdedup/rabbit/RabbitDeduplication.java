package io.github.listenerdedup.rabbit;

import io.github.listenerdedup.core.Deduplicator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.WeakHashMap;
import java.util.function.Function;
import org.aopalliance.aop.Advice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.config.AbstractRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.config.StatelessRetryOperationsInterceptor;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;

/**
 * Installs a {@link DeduplicatingAdvice} on a Spring AMQP listener container ({@code SimpleMessageListenerContainer}
 * or {@code DirectMessageListenerContainer}), after checking that the container's settings suit it. It refuses, with
 * an {@link IllegalStateException} naming the setting, the rule and the value: {@code AcknowledgeMode.NONE} (the
 * broker forgets a message on delivery, so a failure could never be retried); listeners with asynchronous replies
 * (acknowledged when their future completes, after the advice has returned: not supported yet); a container that
 * is already running; and a second installation on the same container. AUTO and MANUAL acknowledgement, single
 * messages and consumer batches are supported.
 *
 * <p>Deduplication is appended to the advice chain the container already has, which stays as it is; the advices
 * before it run around it. One advice is treated apart: Spring AMQP's stateless retry advice
 * ({@link StatelessRetryOperationsInterceptor}) retries by calling only the listener again, skipping every advice
 * after it, so deduplication goes just before it: a retried listener then runs inside one claim, whose lease is
 * renewed, and only the last failure releases it. A stateful retry advice retries by redelivery, which passes the
 * whole chain, so deduplication goes after it like after any other advice.
 * <pre>{@code
 * container.setMessageListener(listener);
 * RabbitDeduplication.applyTo(container, deduplicator);
 * container.start();
 * }</pre>
 * Install after the listener, the acknowledge mode and the advice chain are set, and before the container is
 * initialized or started; a later {@code setAdviceChain} on the container drops deduplication.
 *
 * <p>For {@code @RabbitListener} containers, the factory's customizer installs it on every container the factory
 * creates, once the factory has given the container its own advice chain:
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
     * Installs deduplication that reads the id from the header named in the deduplicator's settings, appended to
     * the container's advice chain.
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
     * Installs the advice, appended to the container's advice chain.
     *
     * @param container the container, with its listener set and not yet started
     * @param advice    the advice, not installed anywhere yet
     * @throws IllegalStateException when the container's settings are not supported
     */
    public static void applyTo(AbstractMessageListenerContainer container, DeduplicatingAdvice advice) {
        applyTo(container, advice, new Advice[0]);
    }

    /**
     * Appends advices and then deduplication to the container's advice chain.
     *
     * @param container   the container, with its listener set and not yet started
     * @param advice      the advice, not installed anywhere yet
     * @param adviceChain advices to append before deduplication, after those the container has
     * @throws IllegalStateException when the container's settings are not supported
     */
    public static void applyTo(AbstractMessageListenerContainer container, DeduplicatingAdvice advice,
            Advice... adviceChain) {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(advice, "advice");
        Objects.requireNonNull(adviceChain, "adviceChain");
        String name = ListenerNames.of(container);
        if (INSTALLED.containsKey(container)) {
            throw InstallationCheck.refusal(name, "deduplication is already installed on this container");
        }
        List<Advice> chain = new ArrayList<>(Arrays.asList(ContainerView.adviceChain(container, name)));
        chain.addAll(Arrays.asList(adviceChain));
        InstallationCheck.requireSupported(container, name, chain);
        claimContainer(container, advice, new ContainerView(container, name));
        int position = positionIn(chain);
        chain.add(position, advice);
        container.setAdviceChain(chain.toArray(Advice[]::new));
        log.info("Installed deduplication on listener '{}' (group {}, header '{}', acknowledge mode {}) at "
                + "position {} of {} in its advice chain", name, advice.deduplicator().settings().group(),
                advice.deduplicator().settings().headerName(), container.getAcknowledgeMode(), position + 1,
                chain.size());
    }

    /**
     * A customizer for a listener container factory that serves one listener: it installs deduplication with one
     * deduplicator, and so one group, on the container the factory creates. Two listeners sharing a group would
     * share their claims, and the second would skip what the first handled; so a second container is refused. Give
     * each container of a factory that serves several listeners its own group with
     * {@link #customizer(AbstractRabbitListenerContainerFactory, Function)}.
     *
     * @param factory      the factory the customizer is set on
     * @param deduplicator decides each delivery
     * @param <C>          the container type
     * @return the customizer, to pass to {@code factory.setContainerCustomizer}
     * @throws IllegalStateException from the customizer, when the factory creates a second container
     */
    public static <C extends AbstractMessageListenerContainer> ContainerCustomizer<C> customizer(
            AbstractRabbitListenerContainerFactory<C> factory, Deduplicator deduplicator) {
        Objects.requireNonNull(deduplicator, "deduplicator");
        AtomicReference<String> firstListener = new AtomicReference<>();
        return customizer(factory, container -> {
            String name = ListenerNames.of(container);
            String first = firstListener.compareAndExchange(null, name);
            if (first != null) {
                throw InstallationCheck.refusal(name, "the factory's customizer holds one deduplicator, and so one "
                        + "group ('" + deduplicator.settings().group() + "'), already installed on listener '" + first
                        + "'; two listeners in one group would skip each other's events: give each container its "
                        + "own group with RabbitDeduplication.customizer(factory, container -> ...)");
            }
            return new DeduplicatingAdvice(deduplicator);
        });
    }

    /**
     * A customizer for a listener container factory that installs an advice made for each container the factory
     * creates. The factory gives each container its own advice chain before it calls the customizer, so
     * deduplication is appended to that chain. The customizer refuses a container whose settings are not
     * supported, so the listener fails at start-up.
     *
     * @param factory       the factory the customizer is set on
     * @param adviceFactory makes the advice for a container, for example with a group from its listener id
     * @param <C>           the container type
     * @return the customizer, to pass to {@code factory.setContainerCustomizer}
     */
    public static <C extends AbstractMessageListenerContainer> ContainerCustomizer<C> customizer(
            AbstractRabbitListenerContainerFactory<C> factory, Function<? super C, DeduplicatingAdvice> adviceFactory) {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(adviceFactory, "adviceFactory");
        return container -> applyTo(container, adviceFactory.apply(container));
    }

    /** Deduplication goes last, or just before the first stateless retry advice. */
    private static int positionIn(List<Advice> chain) {
        for (int i = 0; i < chain.size(); i++) {
            if (chain.get(i) instanceof StatelessRetryOperationsInterceptor) {
                return i;
            }
        }
        return chain.size();
    }

    private static void claimContainer(AbstractMessageListenerContainer container, DeduplicatingAdvice advice,
            ContainerView view) {
        synchronized (INSTALLED) {
            if (INSTALLED.containsKey(container)) {
                throw InstallationCheck.refusal(view.name(), "deduplication is already installed on this container");
            }
            String boundBefore = advice.bindTo(view);
            if (boundBefore != null) {
                throw InstallationCheck.refusal(view.name(), "this DeduplicatingAdvice is already installed on "
                        + "listener '" + boundBefore + "': create one advice per container");
            }
            INSTALLED.put(container, view.name());
        }
    }
}

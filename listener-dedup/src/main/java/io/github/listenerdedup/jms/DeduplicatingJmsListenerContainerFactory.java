package io.github.listenerdedup.jms;

import java.util.Objects;
import java.util.function.Function;
import org.springframework.jms.config.DefaultJmsListenerContainerFactory;
import org.springframework.jms.config.JmsListenerEndpoint;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * A {@link DefaultJmsListenerContainerFactory} whose containers deduplicate their {@code @JmsListener}: each
 * container is checked and its listener wrapped as {@link JmsDeduplication#applyTo(DefaultMessageListenerContainer)}
 * does, once the endpoint has set the listener (the factory's {@code initializeContainer} runs before that).
 *
 * <pre>{@code
 * @Bean
 * DefaultJmsListenerContainerFactory billingFactory(ConnectionFactory connectionFactory, ClaimStore store) {
 *     Deduplicator billing = new Deduplicator(DedupSettings.builder().group("billing").build(), store);
 *     DeduplicatingJmsListenerContainerFactory factory =
 *             new DeduplicatingJmsListenerContainerFactory(endpoint -> JmsDeduplication.of(billing));
 *     factory.setConnectionFactory(connectionFactory);
 *     factory.setSessionTransacted(true);
 *     return factory;
 * }
 * }</pre>
 *
 * <p>Each endpoint should have its own consumer group unless its listeners are meant to share one: the function
 * receives the endpoint, whose id and destination can name the group.
 */
public class DeduplicatingJmsListenerContainerFactory extends DefaultJmsListenerContainerFactory {

    private final Function<? super JmsListenerEndpoint, JmsDeduplication> deduplicationFor;

    /**
     * Creates the factory.
     *
     * @param deduplicationFor the deduplication of each endpoint's container; it must not answer {@code null}
     */
    public DeduplicatingJmsListenerContainerFactory(
            Function<? super JmsListenerEndpoint, JmsDeduplication> deduplicationFor) {
        this.deduplicationFor = Objects.requireNonNull(deduplicationFor, "deduplicationFor");
    }

    /**
     * Creates the container as the parent factory does, then checks it and wraps the listener the endpoint set.
     *
     * @param endpoint the endpoint
     * @return the container, its listener deduplicated
     * @throws IllegalStateException when the container's settings are not supported
     */
    @Override
    public DefaultMessageListenerContainer createListenerContainer(JmsListenerEndpoint endpoint) {
        DefaultMessageListenerContainer container = super.createListenerContainer(endpoint);
        JmsDeduplication deduplication = deduplicationFor.apply(endpoint);
        if (deduplication == null) {
            throw new IllegalStateException("deduplicationFor answered null for JMS listener endpoint '"
                    + endpoint.getId() + "': answer the deduplication of every endpoint");
        }
        deduplication.applyTo(container);
        return container;
    }
}

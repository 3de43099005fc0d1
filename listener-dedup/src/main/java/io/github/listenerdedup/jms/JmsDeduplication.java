package io.github.listenerdedup.jms;

import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.EventIdResolver;
import jakarta.jms.Message;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * Installs deduplication on a Spring {@link DefaultMessageListenerContainer}: checks the container's settings and
 * wraps its current listener in a {@link DeduplicatingMessageListener}. Immutable; each setter returns a copy.
 *
 * <pre>{@code
 * container.setSessionTransacted(true);   // or container.setSessionAcknowledgeMode(Session.CLIENT_ACKNOWLEDGE)
 * container.setMessageListener(listener);
 * JmsDeduplication.applyTo(container, deduplicator);
 *
 * // or, with another dead-letter queue:
 * JmsDeduplication.of(deduplicator).deadLetterQueue("DLQ.orders").applyTo(container);
 * }</pre>
 *
 * <p>Supported sessions:
 * <ul>
 *   <li>transacted ({@code sessionTransacted=true}, with {@code exposeListenerSession=true}): the container commits
 *       after the listener returned and rolls back after it threw; a rejected delivery's dead-letter copy is
 *       committed together with its consumption, except that the last of {@code maxAttempts} is rolled back first
 *       and its redelivery copied, as {@link DeduplicatingMessageListener} describes. A container with an
 *       external transaction manager needs {@code sessionTransacted=true} as well.</li>
 *   <li>{@code CLIENT_ACKNOWLEDGE} and ActiveMQ's {@code INDIVIDUAL_ACKNOWLEDGE} (4), with
 *       {@code acknowledgeAfterListener=true} (the default): the container acknowledges after the listener
 *       returned and calls {@code recover()} after it threw. This container receives one message at a time per
 *       session and settles it before the next, so a client acknowledgement covers that message alone. A rejected
 *       delivery's copy is sent before the acknowledgement: a lost acknowledgement can leave two copies in the
 *       dead-letter queue, never none.</li>
 * </ul>
 * Refused at start-up: {@code AUTO_ACKNOWLEDGE} and {@code DUPS_OK_ACKNOWLEDGE} without a transacted session, since
 * this container then acknowledges each message before the listener runs and a released claim could never be
 * retried. Call it before the container starts, once.
 */
public final class JmsDeduplication {

    private static final Logger log = LoggerFactory.getLogger(JmsDeduplication.class);

    private final Deduplicator deduplicator;
    private final EventIdResolver<Message> idResolver;
    private final String deadLetterQueue;

    private JmsDeduplication(Deduplicator deduplicator, EventIdResolver<Message> idResolver,
            String deadLetterQueue) {
        this.deduplicator = Objects.requireNonNull(deduplicator, "deduplicator");
        this.idResolver = idResolver;
        this.deadLetterQueue = DeadLetterPublisher.requireQueueName(deadLetterQueue);
    }

    /**
     * Starts an installation that reads the id from the deduplicator's header name and copies rejected deliveries
     * to {@value DeduplicatingMessageListener#DEFAULT_DEAD_LETTER_QUEUE}.
     *
     * @param deduplicator decides each delivery
     * @return the installation
     */
    public static JmsDeduplication of(Deduplicator deduplicator) {
        return new JmsDeduplication(deduplicator, null, DeduplicatingMessageListener.DEFAULT_DEAD_LETTER_QUEUE);
    }

    /**
     * Checks the container and wraps its listener, with the id read from the deduplicator's header name and
     * rejected deliveries copied to {@value DeduplicatingMessageListener#DEFAULT_DEAD_LETTER_QUEUE}.
     *
     * @param container    the container, not yet started, its listener set
     * @param deduplicator decides each delivery
     * @return the listener now installed
     * @throws IllegalStateException when the container's settings are not supported, it has no listener, or its
     *                               listener is already deduplicated
     */
    public static DeduplicatingMessageListener applyTo(DefaultMessageListenerContainer container,
            Deduplicator deduplicator) {
        return of(deduplicator).applyTo(container);
    }

    /**
     * Reads the id with a resolver instead of the header name. Default: the JMS property named by the
     * deduplicator's header name.
     *
     * @param resolver reads the raw id value of a message
     * @return a copy with the resolver
     */
    public JmsDeduplication idResolver(EventIdResolver<Message> resolver) {
        return new JmsDeduplication(deduplicator, Objects.requireNonNull(resolver, "idResolver"), deadLetterQueue);
    }

    /**
     * Copies rejected deliveries to another queue. Default
     * {@value DeduplicatingMessageListener#DEFAULT_DEAD_LETTER_QUEUE}.
     *
     * @param queueName the queue's name
     * @return a copy with the queue
     * @throws IllegalArgumentException when the name is blank
     */
    public JmsDeduplication deadLetterQueue(String queueName) {
        return new JmsDeduplication(deduplicator, idResolver, queueName);
    }

    /**
     * Decorates a listener, without any container check: for a container that this class cannot see.
     *
     * @param listener a {@code MessageListener} or {@code SessionAwareMessageListener}
     * @return the decorator
     */
    public DeduplicatingMessageListener decorate(Object listener) {
        DeduplicatingMessageListener decorator = idResolver == null
                ? new DeduplicatingMessageListener(listener, deduplicator)
                : new DeduplicatingMessageListener(listener, deduplicator, idResolver);
        return decorator.withDeadLetterQueue(deadLetterQueue);
    }

    /**
     * Checks the container and wraps its current listener.
     *
     * @param container the container, not yet started, its listener set
     * @return the listener now installed
     * @throws IllegalStateException when the container's settings are not supported, it has no listener, or its
     *                               listener is already deduplicated
     */
    public DeduplicatingMessageListener applyTo(DefaultMessageListenerContainer container) {
        Objects.requireNonNull(container, "container");
        String where = ContainerCheck.describe(container);
        ContainerCheck.requireSupportedSession(container);
        Object listener = requireUndecoratedListener(container.getMessageListener(), where);
        ContainerCheck.warnAboutSettings(log, container, deduplicator.settings(), idResolver == null);
        DeduplicatingMessageListener decorator = decorate(listener);
        container.setMessageListener(decorator);
        InstallationLog.installed(log, where, deduplicator.settings(), idResolver == null);
        return decorator;
    }

    private Object requireUndecoratedListener(Object listener, String where) {
        if (listener == null) {
            throw new IllegalStateException("messageListener is not set on the container for " + where
                    + ": set the listener before applying deduplication");
        }
        if (listener instanceof DeduplicatingMessageListener installed) {
            throw new IllegalStateException("messageListener on " + where + " is already deduplicated for group '"
                    + installed.deduplicator().settings().group() + "': apply deduplication once per container");
        }
        return listener;
    }
}

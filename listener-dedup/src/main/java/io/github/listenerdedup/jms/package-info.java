/**
 * Deduplication for JMS listeners on ActiveMQ Classic or another Jakarta JMS provider: in Spring's
 * {@code DefaultMessageListenerContainer}, or set on a plain JMS consumer.
 *
 * <p>Spring's JMS containers have no advice chain, so the listener is decorated:
 * {@link io.github.listenerdedup.jms.JmsDeduplication} checks a container's settings and wraps its listener in a
 * {@link io.github.listenerdedup.jms.DeduplicatingMessageListener};
 * {@link io.github.listenerdedup.jms.DeduplicatingJmsListenerContainerFactory} does the same for
 * {@code @JmsListener} methods. The container then settles what the decorator decided: transacted sessions and
 * {@code CLIENT_ACKNOWLEDGE} (or ActiveMQ's {@code INDIVIDUAL_ACKNOWLEDGE}) are supported, while
 * {@code AUTO_ACKNOWLEDGE} and {@code DUPS_OK_ACKNOWLEDGE} are refused at start-up, since this container
 * acknowledges before the listener runs in those modes.
 *
 * <p>Without Spring, {@link io.github.listenerdedup.jms.DeduplicatingSessionListener} decorates a
 * {@code jakarta.jms.MessageListener}, or a {@link io.github.listenerdedup.jms.SessionMessageListener} that is
 * handed the session, given its session, and settles each delivery itself in every acknowledge mode; it and the
 * classes it uses need no Spring type.
 *
 * <p>A listener that is handed the session gets a view of it: a {@code rollback()} or {@code recover()} through the
 * view hands the delivery back, and its claim is released instead of completed.
 */
package io.github.listenerdedup.jms;

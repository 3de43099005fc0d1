/**
 * Deduplication for JMS listeners of Spring's {@code DefaultMessageListenerContainer}, on ActiveMQ Classic or
 * another Jakarta JMS provider.
 *
 * <p>Spring's JMS containers have no advice chain, so the listener is decorated:
 * {@link io.github.listenerdedup.jms.JmsDeduplication} checks a container's settings and wraps its listener in a
 * {@link io.github.listenerdedup.jms.DeduplicatingMessageListener};
 * {@link io.github.listenerdedup.jms.DeduplicatingJmsListenerContainerFactory} does the same for
 * {@code @JmsListener} methods. Only transacted sessions are supported: the container commits what the decorator
 * decided, and a rejected delivery's dead-letter copy is committed together with its consumption.
 */
package io.github.listenerdedup.jms;

/**
 * Deduplication for Spring AMQP listener containers: {@link io.github.listenerdedup.rabbit.DeduplicatingAdvice} in
 * the container's advice chain, installed by {@link io.github.listenerdedup.rabbit.RabbitDeduplication}, which
 * refuses container settings the advice cannot honour.
 *
 * <p>Works on {@code SimpleMessageListenerContainer} and {@code DirectMessageListenerContainer} with
 * {@code AcknowledgeMode.AUTO}, for listeners that take one message at a time.
 */
package io.github.listenerdedup.rabbit;

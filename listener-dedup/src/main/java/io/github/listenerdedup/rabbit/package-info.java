/**
 * Deduplication for Spring AMQP listener containers: {@link io.github.listenerdedup.rabbit.DeduplicatingAdvice} in
 * the container's advice chain, installed by {@link io.github.listenerdedup.rabbit.RabbitDeduplication}, which
 * refuses container settings the advice cannot honour.
 *
 * <p>Works on {@code SimpleMessageListenerContainer} and {@code DirectMessageListenerContainer} with
 * {@code AcknowledgeMode.AUTO} or {@code MANUAL}, for listeners of single messages and of consumer batches; a batch
 * listener under manual acknowledgement reports per-message results through
 * {@link io.github.listenerdedup.rabbit.BatchResults}.
 */
package io.github.listenerdedup.rabbit;

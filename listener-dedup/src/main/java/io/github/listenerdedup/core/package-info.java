/**
 * The claim protocol and the decision taken for each delivery, free of any broker, store or framework type.
 *
 * <p>{@link io.github.listenerdedup.core.Deduplicator} is the entry point that broker adapters call for each
 * delivery; {@link io.github.listenerdedup.core.ClaimStore} is what a store implements;
 * {@link io.github.listenerdedup.core.DedupSettings} holds every setting with its default.
 */
package io.github.listenerdedup.core;

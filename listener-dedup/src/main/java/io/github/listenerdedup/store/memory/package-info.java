/**
 * A claim store inside one JVM, for tests, demos and single-instance consumers.
 */
package io.github.listenerdedup.store.memory;

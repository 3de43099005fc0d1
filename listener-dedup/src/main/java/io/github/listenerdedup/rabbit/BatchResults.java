package io.github.listenerdedup.rabbit;

import io.github.listenerdedup.core.ItemFailure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.amqp.core.Message;

/**
 * Per-message results of a consumer batch, for a batch listener whose container acknowledges manually
 * ({@code AcknowledgeMode.MANUAL}). While deduplication runs such a listener, {@link #current()} returns the results
 * of the batch on the listener's thread. A message the listener reports {@linkplain #failed failed} has its claim
 * released and is nacked, requeued as the container's {@code defaultRequeueRejected} and error handler say; one it
 * reports {@linkplain #rejected rejected} has its claim released and goes to the dead-letter exchange; every other
 * message has its claim completed and is acknowledged. Deduplication settles every message of the batch, exactly
 * once, so the listener needs no acknowledgement of its own. A message reported here is settled as reported, even
 * when the listener also acknowledged it on the channel (say with {@code multiple}); a message not reported that the
 * listener nacked or rejected on the channel has its claim released and is settled as the listener asked.
 *
 * <pre>{@code
 * container.setMessageListener((ChannelAwareBatchMessageListener) (messages, channel) -> {
 *     BatchResults results = BatchResults.current();
 *     for (Message message : messages) {
 *         try {
 *             orders.handle(converter.fromMessage(message));
 *         } catch (MessageConversionException e) {
 *             results.rejected(message, e);
 *         }
 *     }
 * });
 * }</pre>
 *
 * <p>With AUTO acknowledgement the container settles the batch as a whole, so there are no per-message results:
 * {@link #current()} refuses, and a listener fails the whole batch by throwing.
 */
public final class BatchResults {

    private static final ThreadLocal<BatchResults> CURRENT = new ThreadLocal<>();

    private final List<Message> messages;
    private final boolean perMessage;
    private final Map<Integer, ItemFailure> failures = new HashMap<>();

    private BatchResults(List<Message> messages, boolean perMessage) {
        this.messages = messages;
        this.perMessage = perMessage;
    }

    /**
     * The results of the batch the current thread's listener is handling.
     *
     * @return the results
     * @throws IllegalStateException outside a batch listener run by deduplication, or when the container
     *                               acknowledges automatically
     */
    public static BatchResults current() {
        BatchResults results = CURRENT.get();
        if (results == null) {
            throw new IllegalStateException("No batch is being handled on this thread: BatchResults are available "
                    + "to a batch listener while deduplication runs it");
        }
        if (!results.perMessage) {
            throw new IllegalStateException("Per-message results need acknowledgeMode MANUAL, but it is AUTO: the "
                    + "container settles the batch as a whole; throw to fail every message of the batch");
        }
        return results;
    }

    /**
     * Reports that a message failed and may succeed when redelivered: its claim is released and it is nacked.
     *
     * @param message a message of the batch handed to the listener
     * @param cause   why it failed
     */
    public void failed(Message message, Throwable cause) {
        report(indexOf(message), new ItemFailure(cause, false));
    }

    /**
     * Reports that a message failed, by its index in the list handed to the listener.
     *
     * @param index the index, from 0
     * @param cause why it failed
     */
    public void failed(int index, Throwable cause) {
        report(checked(index), new ItemFailure(cause, false));
    }

    /**
     * Reports that a message can never succeed as it is (it cannot be read, say): its claim is released and it is
     * rejected to the dead-letter exchange, alone.
     *
     * @param message a message of the batch handed to the listener
     * @param cause   why it is rejected
     */
    public void rejected(Message message, Throwable cause) {
        report(indexOf(message), new ItemFailure(cause, true));
    }

    /**
     * Reports that a message can never succeed as it is, by its index in the list handed to the listener.
     *
     * @param index the index, from 0
     * @param cause why it is rejected
     */
    public void rejected(int index, Throwable cause) {
        report(checked(index), new ItemFailure(cause, true));
    }

    /**
     * Runs a batch listener with results of its own bound to the thread.
     *
     * @param messages   the messages handed to the listener
     * @param perMessage whether per-message results are honoured (manual acknowledgement)
     * @param listener   runs the listener
     * @return the failures reported, by index in {@code messages}
     * @throws Throwable what the listener threw
     */
    static Map<Integer, ItemFailure> during(List<Message> messages, boolean perMessage, ListenerRun listener)
            throws Throwable {
        BatchResults results = new BatchResults(messages, perMessage);
        BatchResults outer = CURRENT.get();
        CURRENT.set(results);
        try {
            listener.run();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
        synchronized (results) {
            return Map.copyOf(results.failures);
        }
    }

    private synchronized void report(int index, ItemFailure failure) {
        failures.merge(index, failure, (earlier, later) -> later.deadLetter() ? later : earlier);
    }

    private int indexOf(Message message) {
        Objects.requireNonNull(message, "message");
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) == message) {
                return i;
            }
        }
        throw new IllegalArgumentException("The message is not one of the " + messages.size()
                + " messages handed to this listener");
    }

    private int checked(int index) {
        if (index < 0 || index >= messages.size()) {
            throw new IndexOutOfBoundsException("index must be between 0 and " + (messages.size() - 1)
                    + ", but was " + index);
        }
        return index;
    }

    /** The listener's run, as the advice invokes it. */
    @FunctionalInterface
    interface ListenerRun {
        void run() throws Throwable;
    }
}

package io.github.listenerdedup.rabbit;

import com.rabbitmq.client.Channel;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.EventIdResolver;
import io.github.listenerdedup.core.IncomingDelivery;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * The advice that makes a Spring AMQP listener idempotent. It sits in the listener container's advice chain, reads
 * the event id of each delivery, lets the {@link Deduplicator} claim it and run the rest of the chain once, and
 * settles the delivery as the outcome says: it returns normally to acknowledge, throws
 * {@link ImmediateRequeueAmqpException} to requeue and {@link AmqpRejectAndDontRequeueException} to reject to the
 * dead-letter exchange. Whatever the rest of the chain throws (the listener, a message conversion, another advice,
 * a {@code java.lang.Error}) releases the claim and propagates unchanged, so the container nacks as it would have.
 *
 * <p>Install it with {@link RabbitDeduplication}, which checks that the container's settings suit it:
 * <pre>{@code
 * DeduplicatingAdvice advice = RabbitDeduplication.applyTo(container, deduplicator);
 * }</pre>
 *
 * <p>The id is read from the header {@link io.github.listenerdedup.core.DedupSettings#headerName()}, or by an
 * {@link EventIdResolver} given here. AMQP long strings count as their UTF-8 bytes. The AMQP {@code message_id} is
 * the fallback of {@link io.github.listenerdedup.core.MissingIdPolicy#MESSAGE_ID}.
 *
 * <p>Producer-side batches split by the container share one delivery and carry the first message's headers in
 * every fragment, so a header cannot identify a fragment: fragments are treated as deliveries without a usable id
 * (rejected by default), unless an id resolver is given, which can read the id from each fragment's body. A batch
 * listener's {@code List<Message>} is rejected: batch listeners are not supported yet.
 */
public final class DeduplicatingAdvice implements MethodInterceptor {

    private static final Logger log = LoggerFactory.getLogger(DeduplicatingAdvice.class);

    private static final String INVOKE_LISTENER = "invokeListener";

    private final Deduplicator deduplicator;
    private final EventIdResolver<Message> idResolver;
    private final AtomicReference<String> listenerName = new AtomicReference<>();

    /**
     * Creates an advice that reads the id from the header named in the deduplicator's settings.
     *
     * @param deduplicator decides each delivery
     */
    public DeduplicatingAdvice(Deduplicator deduplicator) {
        this.deduplicator = Objects.requireNonNull(deduplicator, "deduplicator");
        this.idResolver = null;
    }

    /**
     * Creates an advice that reads the id with a resolver, for ids outside the header: another header, a property,
     * a field of the body. The value it returns follows the same rules as a header value.
     *
     * <pre>{@code
     * new DeduplicatingAdvice(deduplicator, message -> message.getMessageProperties().getCorrelationId());
     * }</pre>
     *
     * @param deduplicator decides each delivery
     * @param idResolver   reads the raw id value from a message
     */
    public DeduplicatingAdvice(Deduplicator deduplicator, EventIdResolver<Message> idResolver) {
        this.deduplicator = Objects.requireNonNull(deduplicator, "deduplicator");
        this.idResolver = Objects.requireNonNull(idResolver, "idResolver");
    }

    /** @return the deduplicator that decides each delivery */
    public Deduplicator deduplicator() {
        return deduplicator;
    }

    /**
     * The listener this advice was installed on, as its log lines name it.
     *
     * @return the listener id or queue names, or {@code null} before installation
     */
    public String listenerName() {
        return listenerName.get();
    }

    /**
     * Decides one delivery when the container invokes its listener; any other call passes through.
     *
     * @param invocation the container's call
     * @return what the rest of the chain returned
     * @throws Throwable what the rest of the chain threw, or the exception that settles the delivery
     */
    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        if (!isInvokeListener(invocation.getMethod())) {
            return invocation.proceed();
        }
        Object data = invocation.getArguments()[1];
        if (!(data instanceof Message message)) {
            throw refuseBatch(data);
        }
        DeliveryOutcome outcome = deduplicator.process(deliveryOf(message), invocation::proceed);
        settle(outcome, message);
        return null;
    }

    /**
     * Binds this advice to the listener it is installed on, once.
     *
     * @param name the listener's name for log lines
     * @return {@code null} when bound now, otherwise the name of the listener it was bound to before
     */
    String bindTo(String name) {
        return listenerName.compareAndExchange(null, name);
    }

    private static boolean isInvokeListener(Method method) {
        return INVOKE_LISTENER.equals(method.getName()) && method.getParameterCount() == 2
                && method.getParameterTypes()[0] == Channel.class;
    }

    private IncomingDelivery deliveryOf(Message message) {
        MessageProperties properties = message.getMessageProperties();
        if (!ProducerBatchFragments.isBatchOrFragment(properties)) {
            return idResolver == null
                    ? AmqpIdValues.delivery(properties.getHeaders().get(header()), properties.getMessageId())
                    : resolve(message, properties.getMessageId());
        }
        if (idResolver != null) {
            return resolve(message, null);
        }
        return new IncomingDelivery(null, null, "the delivery on " + describe(message) + " is a producer batch or "
                + "a fragment of one, and every fragment carries the first message's headers; publish without "
                + "batching, or give the advice an id resolver that reads the id from the body");
    }

    private IncomingDelivery resolve(Message message, String messageId) {
        Object value;
        try {
            value = idResolver.resolve(message);
        } catch (Exception e) {
            return IncomingDelivery.unreadable(e, messageId);
        }
        return AmqpIdValues.delivery(value, messageId);
    }

    private void settle(DeliveryOutcome outcome, Message message) {
        switch (outcome.settlement()) {
            case ACK:
                return;
            case REQUEUE:
                throw new ImmediateRequeueAmqpException("Requeued by deduplication on " + describe(message) + ": "
                        + outcome.tag());
            case REJECT:
                throw new AmqpRejectAndDontRequeueException("Rejected by deduplication on " + describe(message)
                        + ": no usable event id from " + idSource() + " (" + outcome.tag() + ")");
            default:
                throw new IllegalStateException("Outcome " + outcome + " on " + describe(message)
                        + " says the listener failed, but nothing was thrown");
        }
    }

    private AmqpRejectAndDontRequeueException refuseBatch(Object data) {
        String kind = data == null ? "null" : data.getClass().getName();
        String listener = describeListener();
        log.error("Rejected a delivery of {} on {}: deduplication handles one message at a time, and batch listeners "
                + "are not supported yet; install it with RabbitDeduplication, which refuses them", kind, listener);
        return new AmqpRejectAndDontRequeueException("Rejected by deduplication on " + listener
                + ": batch listeners are not supported yet");
    }

    private String describe(Message message) {
        String name = listenerName.get();
        return name != null ? describeListener() : "queue '" + message.getMessageProperties().getConsumerQueue() + "'";
    }

    private String describeListener() {
        String name = listenerName.get();
        return name != null ? "listener '" + name + "'" : "a listener not installed by RabbitDeduplication";
    }

    private String header() {
        return deduplicator.settings().headerName();
    }

    private String idSource() {
        return idResolver != null ? "the id resolver" : "header '" + header() + "'";
    }
}

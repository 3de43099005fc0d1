package io.github.listenerdedup.rabbit;

import com.rabbitmq.client.Channel;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.core.DeliveryOutcome;
import io.github.listenerdedup.core.EventIdResolver;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;

/**
 * The advice that makes a Spring AMQP listener idempotent. It sits in the listener container's advice chain, reads
 * the event id of each delivery, lets the {@link Deduplicator} claim it and run the rest of the chain once, and
 * settles the delivery as the outcome says.
 *
 * <p>With {@code AcknowledgeMode.AUTO} the container settles: the advice returns normally to acknowledge, throws
 * {@link ImmediateRequeueAmqpException} to requeue and {@link AmqpRejectAndDontRequeueException} to reject to the
 * dead-letter exchange. Whatever the rest of the chain throws (the listener, a message conversion, another advice,
 * a {@code java.lang.Error}) releases the claim and propagates unchanged, so the container nacks as it would have.
 *
 * <p>With {@code AcknowledgeMode.MANUAL} the advice acknowledges or nacks the outcomes it decides itself
 * (duplicates, requeues, rejections, failures); when the listener runs, it owns the acknowledgement, which is sent
 * once the claim is completed. A listener that nacks or rejects its own delivery gets its claim released. Exactly
 * one settlement is sent per delivery tag: the listener's channel records its settlements, and failures do not
 * reach the container (which would settle once more); a {@code java.lang.Error} still propagates.
 *
 * <p>A consumer batch ({@code List<Message>}) is claimed in one round trip; duplicates leave the list before the
 * listener sees it. Under AUTO the batch is settled as a whole; under MANUAL each message on its own, with the
 * listener reporting per-message results through {@link BatchResults}.
 *
 * <p>Install it with {@link RabbitDeduplication}, which checks that the container's settings suit it and tells the
 * advice the container's acknowledge mode:
 * <pre>{@code
 * DeduplicatingAdvice advice = RabbitDeduplication.applyTo(container, deduplicator);
 * }</pre>
 * An advice put into a chain by hand acts as for AUTO acknowledgement.
 *
 * <p>The id is read from the header {@link io.github.listenerdedup.core.DedupSettings#headerName()}, or by an
 * {@link EventIdResolver} given here. AMQP long strings count as their UTF-8 bytes. The AMQP {@code message_id} is
 * the fallback of {@link io.github.listenerdedup.core.MissingIdPolicy#MESSAGE_ID}.
 *
 * <p>Producer-side batches split by the container share one delivery and carry the first message's headers in
 * every fragment, so a header cannot identify a fragment: fragments are treated as deliveries without a usable id
 * (rejected by default), unless an id resolver is given, which can read the id from each fragment's body. Under
 * MANUAL acknowledgement a producer batch is rejected as a whole.
 */
public final class DeduplicatingAdvice implements MethodInterceptor {

    private static final Logger log = LoggerFactory.getLogger(DeduplicatingAdvice.class);

    private static final String INVOKE_LISTENER = "invokeListener";

    private final Deduplicator deduplicator;
    private final DeliveryIds ids;
    private final AtomicReference<ContainerView> container = new AtomicReference<>();
    private final AtomicBoolean uninstalledWarning = new AtomicBoolean();
    private final AutoDeliveries auto = new AutoDeliveries(this);
    private final ManualDeliveries manual = new ManualDeliveries(this);

    /**
     * Creates an advice that reads the id from the header named in the deduplicator's settings.
     *
     * @param deduplicator decides each delivery
     */
    public DeduplicatingAdvice(Deduplicator deduplicator) {
        this.deduplicator = Objects.requireNonNull(deduplicator, "deduplicator");
        this.ids = new DeliveryIds(deduplicator.settings(), null);
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
        this.ids = new DeliveryIds(deduplicator.settings(), Objects.requireNonNull(idResolver, "idResolver"));
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
        ContainerView view = container.get();
        return view == null ? null : view.name();
    }

    private void warnOnceNotInstalled() {
        if (uninstalledWarning.compareAndSet(false, true)) {
            log.warn("A DeduplicatingAdvice for group '{}' runs in a container it was not installed on by "
                    + "RabbitDeduplication: it settles deliveries as under AUTO acknowledgement, and under MANUAL "
                    + "acknowledgement duplicates would stay unacknowledged; install it with "
                    + "RabbitDeduplication.applyTo", deduplicator.settings().group());
        }
    }

    /**
     * Decides one delivery, or one batch, when the container invokes its listener; any other call passes through.
     *
     * @param invocation the container's call
     * @return what the rest of the chain returned, or {@code null}
     * @throws Throwable what the rest of the chain threw, or the exception that settles the delivery
     */
    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        if (!isInvokeListener(invocation.getMethod())) {
            return invocation.proceed();
        }
        Object[] arguments = invocation.getArguments();
        ContainerView view = container.get();
        if (view == null) {
            warnOnceNotInstalled();
        }
        boolean manualAck = view != null && view.isManualAck();
        Channel channel = (Channel) arguments[ListenerArguments.CHANNEL];
        Object data = arguments[ListenerArguments.DATA];
        if (data instanceof Message message) {
            return manualAck ? manual.single(invocation, channel, message, view) : auto.single(invocation, message);
        }
        List<Message> batch = asBatch(data);
        if (batch != null) {
            return manualAck ? manual.batch(invocation, channel, batch, view) : auto.batch(invocation, channel, batch);
        }
        throw refuse(data);
    }

    /**
     * Binds this advice to the container it is installed on, once.
     *
     * @param view the container
     * @return {@code null} when bound now, otherwise the name of the listener it was bound to before
     */
    String bindTo(ContainerView view) {
        ContainerView before = container.compareAndExchange(null, view);
        return before == null ? null : before.name();
    }

    DeliveryIds ids() {
        return ids;
    }

    /** @return how messages name the listener: {@code listener 'id'}, or the queue when not installed */
    String describe(Message message) {
        ContainerView view = container.get();
        return view != null ? "listener '" + view.name() + "'"
                : "queue '" + message.getMessageProperties().getConsumerQueue() + "'";
    }

    /** @return why an outcome rejects the delivery, for the exception's message */
    String rejectReason(DeliveryOutcome outcome) {
        return switch (outcome) {
            case CONFLICT -> "the event id was completed with other content";
            case MAX_ATTEMPTS -> "the listener failed on the last of max-attempts ("
                    + deduplicator.settings().maxAttempts() + ")";
            default -> "no usable event id from " + ids.source();
        };
    }

    private static boolean isInvokeListener(Method method) {
        return INVOKE_LISTENER.equals(method.getName()) && method.getParameterCount() == 2
                && method.getParameterTypes()[0] == Channel.class;
    }

    @SuppressWarnings("unchecked")
    private static List<Message> asBatch(Object data) {
        if (data instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(Message.class::isInstance)) {
            return (List<Message>) list;
        }
        return null;
    }

    private AmqpRejectAndDontRequeueException refuse(Object data) {
        String kind = data == null ? "null" : data.getClass().getName();
        String listener = listenerName() == null ? "a listener not installed by RabbitDeduplication"
                : "listener '" + listenerName() + "'";
        log.error("Rejected a delivery of {} on {}: deduplication handles a Message or a List of Messages", kind,
                listener);
        return new AmqpRejectAndDontRequeueException("Rejected by deduplication on " + listener
                + ": the listener was called with " + kind + ", not a Message or a List of Messages");
    }
}

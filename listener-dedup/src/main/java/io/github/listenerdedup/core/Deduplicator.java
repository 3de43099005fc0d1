package io.github.listenerdedup.core;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Decides what happens to each delivery: claims its event id, runs the handler once, skips duplicates, holds
 * in-flight duplicates, and releases the claim when the handler fails so that the redelivery can succeed. Broker
 * adapters call {@link #process} once per delivery and settle it as the returned outcome says.
 *
 * <pre>{@code
 * Deduplicator deduplicator = new Deduplicator(DedupSettings.builder().group("billing").build(), store);
 * DeliveryOutcome outcome = deduplicator.process(IncomingDelivery.of(header, messageId), () -> handle(message));
 * }</pre>
 *
 * <p>Order matters: the claim is completed before the delivery is acknowledged and released before it is
 * nacked. A consumer that dies between the handler's effect and the completion leaves an {@code IN_PROGRESS}
 * claim that expires after its lease, and the redelivery then runs the handler again.
 */
public final class Deduplicator implements AutoCloseable {

    /** The MDC key that holds the event id while its handler runs. */
    public static final String MDC_EVENT_ID = "eventId";

    private static final ThreadLocal<String> CURRENT_EVENT_ID = new ThreadLocal<>();

    private static final Logger log = LoggerFactory.getLogger(Deduplicator.class);

    private final DedupSettings settings;
    private final ClaimStore givenStore;
    private final ClaimStore store;
    private final Set<LeaseRenewal> runningRenewals = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final OutcomeListener outcomeListener;
    private final EventIdReader idReader;
    private final StoreHealth storeHealth;
    private final Pacer pacer;
    private final LongSupplier nanoTime;

    /**
     * Creates a deduplicator that reports to no one.
     *
     * @param settings the settings
     * @param store    where claims live
     */
    public Deduplicator(DedupSettings settings, ClaimStore store) {
        this(settings, store, OutcomeListener.NONE);
    }

    /**
     * Creates a deduplicator.
     *
     * @param settings        the settings
     * @param store           where claims live
     * @param outcomeListener hears every outcome
     */
    public Deduplicator(DedupSettings settings, ClaimStore store, OutcomeListener outcomeListener) {
        this(settings, store, outcomeListener, Pacer.SLEEP, System::nanoTime);
    }

    Deduplicator(DedupSettings settings, ClaimStore store, OutcomeListener outcomeListener, Pacer pacer,
            LongSupplier nanoTime) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.givenStore = Objects.requireNonNull(store, "store");
        this.store = settings.storeRetry().maxAttempts() > 1 && !(store instanceof RetryingClaimStore)
                ? new RetryingClaimStore(store, settings.storeRetry())
                : store;
        this.outcomeListener = Objects.requireNonNull(outcomeListener, "outcomeListener");
        this.idReader = new EventIdReader(settings.maxIdLength());
        this.storeHealth = new StoreHealth(settings.group());
        this.pacer = pacer;
        this.nanoTime = nanoTime;
    }

    /** @return the settings */
    public DedupSettings settings() {
        return settings;
    }

    /** @return the store as given, without the retries this deduplicator adds */
    public ClaimStore store() {
        return givenStore;
    }

    /**
     * Stops renewing leases, of the handlers running now and of any that start later: call it when the listener
     * stops for good. Renewals run on two daemon threads shared by every deduplicator, so a deduplicator that is
     * never closed holds no thread of its own. The store stays open.
     */
    @Override
    public void close() {
        closed = true;
        runningRenewals.forEach(LeaseRenewal::close);
    }

    /**
     * Decides one delivery, running the handler when this delivery wins the claim.
     *
     * @param delivery   the delivery's id values
     * @param invocation the handler
     * @return what happened; its {@link DeliveryOutcome#settlement()} says how to settle the delivery
     * @throws Throwable what the handler threw, after the claim was released
     */
    public DeliveryOutcome process(IncomingDelivery delivery, ListenerInvocation invocation) throws Throwable {
        EventIdReading reading = readId(delivery);
        if (!reading.isPresent()) {
            return processWithoutId(reading, invocation);
        }
        ClaimKey key = settings.keyFor(reading.id());
        OwnerToken token = OwnerToken.random();
        String fingerprint = Fingerprints.of(settings.fingerprint(), delivery.body());
        ClaimResult result = claimWithinWait(key, token, fingerprint);
        if (result == null) {
            return storeUnavailable(key, token, invocation);
        }
        return switch (result.status()) {
            case ACQUIRED -> runClaimed(key, token, result.attempt(), invocation);
            case COMPLETED -> duplicateOrConflict(key, fingerprint, result);
            case IN_PROGRESS -> {
                log.warn("Requeued delivery of {}: another delivery still holds the claim after waiting {}", key,
                        settings.inFlightWait());
                yield report(key.eventId(), DeliveryOutcome.IN_FLIGHT_REQUEUED);
            }
        };
    }

    /**
     * Claims, holding the delivery while another delivery holds the claim or the store cannot be reached.
     *
     * @return the last answer, or {@code null} when the store could not be reached
     */
    private ClaimResult claimWithinWait(ClaimKey key, OwnerToken token, String fingerprint) {
        Hold hold = new Hold(settings.inFlightWait(), pacer, nanoTime);
        while (true) {
            ClaimResult result = tryClaim(key, token, fingerprint);
            boolean decided = result != null && result.status() != ClaimResult.Status.IN_PROGRESS;
            boolean failOpen = result == null && settings.storeFailure() == StoreFailurePolicy.FAIL_OPEN;
            if (decided || failOpen || !hold.pauseBeforeNextPoll(result == null ? null : result.timeLeft())) {
                return result;
            }
        }
    }

    private ClaimResult tryClaim(ClaimKey key, OwnerToken token, String fingerprint) {
        try {
            ClaimResult result = store.claim(key, token, fingerprint, settings.lease());
            storeHealth.succeeded();
            return result;
        } catch (StoreUnavailableException e) {
            storeHealth.failed(e);
            return null;
        } catch (RuntimeException e) {
            discardQuietly(key, token);
            throw e;
        }
    }

    private DeliveryOutcome storeUnavailable(ClaimKey key, OwnerToken token, ListenerInvocation invocation)
            throws Throwable {
        discardQuietly(key, token);
        if (settings.storeFailure() == StoreFailurePolicy.FAIL_OPEN) {
            log.warn("Running handler for {} without a claim: the store is unreachable (fail-open)", key);
            return runWithoutClaim(key.eventId(), invocation);
        }
        log.warn("Requeued delivery of {}: the store is unreachable after waiting {}", key, settings.inFlightWait());
        return report(key.eventId(), DeliveryOutcome.STORE_UNAVAILABLE);
    }

    /**
     * Decides the deliveries of one batch at once: claims their ids together ({@link ClaimStore#claimAll}), takes
     * duplicates out (also copies of one id within the batch), holds while another delivery runs one of them, and
     * runs the listener once on the rest. Every claim is completed when the listener succeeds and released when it
     * fails; how a failure, a requeue or a rejection of one delivery spreads to the others follows the settlement.
     * Claims won are not renewed before the listener runs, so once the batch holds one, it is held for at most a
     * third of the lease; the ids still in flight elsewhere are then requeued. A batch claim failing with any runtime
     * exception is decided as for an unreachable store, after giving back every claim it may have written.
     *
     * @param deliveries the deliveries' id values, in the order of the batch
     * @param settlement whether the broker adapter settles the batch as a whole or each delivery on its own
     * @param invocation runs the listener on the deliveries that are left
     * @return what happened to each delivery; what the listener threw is in {@link BatchOutcome#failure()}
     */
    public BatchOutcome processBatch(List<IncomingDelivery> deliveries, BatchSettlement settlement,
            BatchInvocation invocation) {
        return new BatchDeduplication(this, deliveries, settlement).process(invocation);
    }

    DeliveryOutcome duplicateOrConflict(ClaimKey key, String fingerprint, ClaimResult result) {
        String stored = result.fingerprint();
        if (fingerprint != null && stored != null && !fingerprint.equals(stored)) {
            log.error("Rejected delivery of {}: the id was completed with other content (fingerprint {}, this "
                    + "delivery {}); the producer reused an id", key, stored, fingerprint);
            return report(key.eventId(), DeliveryOutcome.CONFLICT);
        }
        log.debug("Skipped duplicate {}: found COMPLETED by {}", key, result.owner());
        return report(key.eventId(), DeliveryOutcome.DUPLICATE);
    }

    EventIdReading readId(IncomingDelivery delivery) {
        EventIdReading reading = delivery.resolveFailure() != null
                ? EventIdReading.unusable(EventIdReading.Status.UNREADABLE, delivery.resolveFailure())
                : idReader.read(delivery.eventIdValue());
        if (reading.isPresent() || settings.missingId() != MissingIdPolicy.MESSAGE_ID) {
            return reading;
        }
        EventIdReading fallback = idReader.read(delivery.messageIdValue());
        if (!fallback.isPresent()) {
            return EventIdReading.unusable(reading.status(), reading.reason() + ", and the message id is "
                    + fallback.status() + " (" + fallback.reason() + ")");
        }
        log.debug("Using the message id {} for group {}: the event id was {} ({})", LogText.escape(fallback.id()),
                settings.group(), reading.status(), reading.reason());
        return fallback;
    }

    private DeliveryOutcome processWithoutId(EventIdReading reading, ListenerInvocation invocation)
            throws Throwable {
        if (processesWithoutId(reading)) {
            return runWithoutClaim(null, invocation);
        }
        return DeliveryOutcome.REJECTED_ID;
    }

    /**
     * Applies the missing-id policy to a delivery without a usable id: logs it, and reports the rejection.
     *
     * @return {@code true} when the handler runs without a claim; {@code false} when the delivery is rejected
     */
    boolean processesWithoutId(EventIdReading reading) {
        if (settings.missingId() == MissingIdPolicy.PROCESS) {
            log.debug("Running handler without deduplication for group {}: the event id in '{}' is {} ({})",
                    settings.group(), settings.headerName(), reading.status(), reading.reason());
            return true;
        }
        log.error("Rejected delivery for group {}: the event id in '{}' is {} ({})", settings.group(),
                settings.headerName(), reading.status(), reading.reason());
        report(null, DeliveryOutcome.REJECTED_ID);
        return false;
    }

    private DeliveryOutcome runClaimed(ClaimKey key, OwnerToken token, int attempt, ListenerInvocation invocation)
            throws Throwable {
        log.debug("Claimed {} (attempt {})", key, attempt);
        String previousMdc = MDC.get(MDC_EVENT_ID);
        String previousId = CURRENT_EVENT_ID.get();
        MDC.put(MDC_EVENT_ID, LogText.escape(key.eventId()));
        CURRENT_EVENT_ID.set(key.eventId());
        try (LeaseRenewal ignored = startRenewal(key, token)) {
            invocation.proceed();
        } catch (Throwable failure) {
            if (settings.maxAttempts() > 0 && attempt >= settings.maxAttempts() && !(failure instanceof Error)) {
                return discardAfterLastAttempt(key, token, attempt, failure);
            }
            releaseAfterFailure(key, token, failure);
            throw failure;
        } finally {
            restoreMdc(previousMdc);
            restoreCurrentId(previousId);
        }
        return completeAfterSuccess(key, token);
    }

    LeaseRenewal startRenewal(ClaimKey key, OwnerToken token) {
        if (!settings.leaseRenewal() || closed) {
            return null;
        }
        return new LeaseRenewal(RenewalScheduler.SHARED, givenStore, key, token, settings.lease(), runningRenewals);
    }

    /**
     * The event id whose handler runs on this thread, for adapters that log a handler's failure; it does not
     * depend on the logging backend keeping the MDC.
     *
     * @return the id as read from the delivery, or {@code null} outside a claimed handler
     */
    public static String currentEventId() {
        return CURRENT_EVENT_ID.get();
    }

    private static void restoreCurrentId(String previous) {
        if (previous == null) {
            CURRENT_EVENT_ID.remove();
        } else {
            CURRENT_EVENT_ID.set(previous);
        }
    }

    private static void restoreMdc(String previous) {
        if (previous == null) {
            MDC.remove(MDC_EVENT_ID);
        } else {
            MDC.put(MDC_EVENT_ID, previous);
        }
    }

    DeliveryOutcome discardAfterLastAttempt(ClaimKey key, OwnerToken token, int attempt, Throwable failure) {
        log.warn("Dead-lettering {} after {} failed attempts (max-attempts {}); its claim is discarded so a replay "
                + "starts afresh", key, attempt, settings.maxAttempts(), failure);
        try {
            store.discard(key, token);
            storeHealth.succeeded();
        } catch (RuntimeException e) {
            noteStoreFailure(e);
            log.warn("Could not discard the claim of {}: {}; it expires after its lease of {}", key, describe(e),
                    settings.lease());
        }
        return report(key.eventId(), DeliveryOutcome.MAX_ATTEMPTS);
    }

    DeliveryOutcome releaseAfterFailure(ClaimKey key, OwnerToken token, Throwable failure) {
        DeliveryOutcome outcome = DeliveryOutcome.RELEASED;
        try {
            if (whileNotInterrupted(() -> store.release(key, token, settings.retention()))) {
                log.debug("Released {} after the handler failed: {}", key, failure.toString());
            } else {
                log.warn("Could not release {} after the handler failed: its lease was lost to another delivery",
                        key);
                outcome = DeliveryOutcome.LEASE_LOST;
            }
            storeHealth.succeeded();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            noteStoreFailure(e);
            log.warn("Could not release {} after the handler failed: {}; the claim expires after its lease of {}",
                    key, describe(e), settings.lease());
        }
        return report(key.eventId(), outcome);
    }

    DeliveryOutcome completeAfterSuccess(ClaimKey key, OwnerToken token) {
        try {
            boolean completed = whileNotInterrupted(() -> store.complete(key, token, settings.retention()));
            storeHealth.succeeded();
            if (completed) {
                return report(key.eventId(), DeliveryOutcome.PROCESSED);
            }
            log.warn("Handled {} but its lease was lost to another delivery before completion: the handler may run "
                    + "twice", key);
            return report(key.eventId(), DeliveryOutcome.LEASE_LOST);
        } catch (RuntimeException e) {
            noteStoreFailure(e);
            log.warn("Handled {} but could not record its completion: {}; acknowledged anyway, and a redelivery "
                    + "after the lease of {} would run it again", key, describe(e), settings.lease());
            return report(key.eventId(), DeliveryOutcome.COMPLETION_LOST);
        }
    }

    /**
     * Deletes the delivery's own claim, if any, without a retry; for paths that give up on a claim.
     *
     * @return whether the store answered that the claim is gone
     */
    boolean discardQuietly(ClaimKey key, OwnerToken token) {
        try {
            boolean gone = whileNotInterrupted(() -> givenStore.discard(key, token));
            storeHealth.succeeded();
            return gone;
        } catch (RuntimeException e) {
            noteStoreFailure(e);
            return false;
        }
    }

    private static String describe(RuntimeException e) {
        return e instanceof StoreUnavailableException ? "the store is unreachable" : e.toString();
    }

    void noteStoreFailure(RuntimeException e) {
        if (e instanceof StoreUnavailableException unavailable) {
            storeHealth.failed(unavailable);
        } else {
            log.error("Claim store call failed unexpectedly (group {})", settings.group(), e);
        }
    }

    /** @return the store with the retries this deduplicator adds */
    ClaimStore retryingStore() {
        return store;
    }

    /** @return the tracker of the store's reachability */
    StoreHealth storeHealth() {
        return storeHealth;
    }

    /** @return a new hold for one delivery, bounded by the in-flight wait */
    Hold newHold() {
        return new Hold(settings.inFlightWait(), pacer, nanoTime);
    }

    /**
     * Makes the store call that records a finished handler even when the handler's thread was interrupted meanwhile
     * (a container stopping abruptly interrupts its consumers): the handler's work is done, and a lost completion
     * would let a redelivery run it again. The interrupt is restored afterwards.
     */
    private static <T> T whileNotInterrupted(Supplier<T> storeCall) {
        boolean interrupted = Thread.interrupted();
        try {
            return storeCall.get();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private DeliveryOutcome runWithoutClaim(String eventId, ListenerInvocation invocation) throws Throwable {
        try {
            invocation.proceed();
        } catch (Throwable failure) {
            report(eventId, DeliveryOutcome.FAILED_WITHOUT_CLAIM);
            throw failure;
        }
        return report(eventId, DeliveryOutcome.PROCESSED_WITHOUT_CLAIM);
    }

    DeliveryOutcome report(String eventId, DeliveryOutcome outcome) {
        try {
            outcomeListener.onOutcome(settings.group(), eventId, outcome);
        } catch (RuntimeException e) {
            log.warn("Outcome listener failed for group {} and outcome {}", settings.group(), outcome, e);
        }
        return outcome;
    }
}

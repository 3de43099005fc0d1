package io.github.listenerdedup.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the deliveries of one batch for a {@link Deduplicator}: reads every id, claims the new ones in one call
 * of {@link ClaimStore#claimAll}, takes duplicates out, holds while other deliveries run some of the ids, runs the
 * listener once on what is left, and completes or releases each claim afterwards. One instance serves one batch.
 *
 * <p>The leases of claims won early are not renewed while the batch is held for ids that other deliveries run (or
 * for a store that cannot be reached): renewal starts only when the listener runs. So once the batch holds a claim,
 * the hold lasts at most a third of the lease, however long the in-flight wait; the ids still held elsewhere are
 * then requeued, and a batch settled as a whole gives its claims back. So every claim still has about two thirds of
 * its lease left when the listener starts and its renewal begins.
 *
 * <p>A batch claim that fails with any runtime exception, not only {@link StoreUnavailableException}, is treated
 * as an outage: the pipelined call may have written some or all of its claims before it failed, so the batch
 * claims again with the same tokens while the hold lasts, and when it gives up it discards every claim the failed
 * call may have written (with the batch's own tokens) and decides those deliveries as
 * {@link DeliveryOutcome#STORE_UNAVAILABLE} (or runs them without claims under fail-open).
 */
final class BatchDeduplication {

    private static final Logger log = LoggerFactory.getLogger(BatchDeduplication.class);

    private final Deduplicator deduplicator;
    private final DedupSettings settings;
    private final BatchSettlement mode;
    private final List<Item> items = new ArrayList<>();
    private boolean claimsHeld;
    private boolean claimFailedUnexpectedly;

    BatchDeduplication(Deduplicator deduplicator, List<IncomingDelivery> deliveries, BatchSettlement mode) {
        this.deduplicator = deduplicator;
        this.settings = deduplicator.settings();
        this.mode = Objects.requireNonNull(mode, "mode");
        Map<ClaimKey, Item> firstOfKey = new HashMap<>();
        for (IncomingDelivery delivery : Objects.requireNonNull(deliveries, "deliveries")) {
            items.add(read(delivery, items.size(), firstOfKey));
        }
    }

    BatchOutcome process(BatchInvocation invocation) {
        if (isBlocked()) {
            return blocked();
        }
        claimNewIds();
        if (isBlocked()) {
            return blocked();
        }
        return run(invocation);
    }

    private Item read(IncomingDelivery delivery, int position, Map<ClaimKey, Item> firstOfKey) {
        Item item = new Item(position);
        EventIdReading reading = deduplicator.readId(delivery);
        if (!reading.isPresent()) {
            if (deduplicator.processesWithoutId(reading)) {
                item.runsWithoutClaim = true;
            } else {
                item.decide(DeliveryOutcome.REJECTED_ID);
            }
            return item;
        }
        item.eventId = reading.id();
        item.key = settings.keyFor(reading.id());
        item.fingerprint = Fingerprints.of(settings.fingerprint(), delivery.body());
        item.original = firstOfKey.putIfAbsent(item.key, item);
        if (item.original == null) {
            item.token = OwnerToken.random();
        }
        return item;
    }

    private void claimNewIds() {
        List<Item> pending = items.stream().filter(Item::needsClaim).toList();
        Hold hold = deduplicator.newHold();
        while (!pending.isEmpty()) {
            List<ClaimResult> results = claimAll(pending);
            if (results == null) {
                if (!storeFailed(pending, hold)) {
                    return;
                }
                continue;
            }
            pending = heldBack(pending, results);
            boundHoldByLease(hold);
            if (pending.isEmpty() || isBlocked()) {
                break;
            }
            if (!hold.pauseBeforeNextPoll(shortestTimeLeft(results))) {
                break;
            }
        }
        for (Item item : pending) {
            log.warn("Requeued delivery of {}: another delivery still holds the claim after holding the batch for "
                    + "at most {}", item.key, settings.inFlightWait());
            item.decide(deduplicator.report(item.eventId, DeliveryOutcome.IN_FLIGHT_REQUEUED));
        }
    }

    /** Once the batch holds a claim, its unrenewed lease bounds the hold to a third of the lease. */
    private void boundHoldByLease(Hold hold) {
        if (!claimsHeld && items.stream().anyMatch(Item::isClaimed)) {
            claimsHeld = true;
            hold.endWithin(settings.lease().dividedBy(3));
        }
    }

    private List<ClaimResult> claimAll(List<Item> pending) {
        List<ClaimRequest> requests = pending.stream()
                .map(item -> new ClaimRequest(item.key, item.token, item.fingerprint))
                .toList();
        try {
            List<ClaimResult> results = deduplicator.retryingStore().claimAll(requests, settings.lease());
            deduplicator.storeHealth().succeeded();
            return results;
        } catch (StoreUnavailableException e) {
            deduplicator.storeHealth().failed(e);
            return null;
        } catch (RuntimeException e) {
            unexpectedClaimFailure(e, pending.size());
            return null;
        }
    }

    private void unexpectedClaimFailure(RuntimeException e, int pending) {
        if (claimFailedUnexpectedly) {
            log.debug("Batch claim of {} ids failed again: {}", pending, e.toString());
            return;
        }
        claimFailedUnexpectedly = true;
        deduplicator.noteStoreFailure(e);
        log.warn("Batch claim of {} ids failed; it may have written some claims, which are claimed again with the "
                + "same tokens or given back, and the batch is decided as for an unreachable store", pending);
    }

    /** @return {@code true} to claim again after the pause, {@code false} when the pending items are decided */
    private boolean storeFailed(List<Item> pending, Hold hold) {
        if (settings.storeFailure() != StoreFailurePolicy.FAIL_OPEN && hold.pauseBeforeNextPoll(null)) {
            return true;
        }
        pending.forEach(item -> deduplicator.discardQuietly(item.key, item.token));
        if (settings.storeFailure() == StoreFailurePolicy.FAIL_OPEN) {
            log.warn("Running the batch listener for {} deliveries without claims: the store is unreachable "
                    + "(fail-open)", pending.size());
            pending.forEach(item -> item.runsWithoutClaim = true);
            return false;
        }
        for (Item item : pending) {
            log.warn("Requeued delivery of {}: the store is unreachable after waiting {}", item.key,
                    settings.inFlightWait());
            item.decide(deduplicator.report(item.eventId, DeliveryOutcome.STORE_UNAVAILABLE));
        }
        return false;
    }

    private List<Item> heldBack(List<Item> pending, List<ClaimResult> results) {
        List<Item> held = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Item item = pending.get(i);
            ClaimResult result = results.get(i);
            switch (result.status()) {
                case ACQUIRED -> {
                    log.debug("Claimed {} (attempt {}) for a batch", item.key, result.attempt());
                    item.attempt = result.attempt();
                }
                case COMPLETED -> item.decide(deduplicator.duplicateOrConflict(item.key, item.fingerprint, result));
                default -> held.add(item);
            }
        }
        return held;
    }

    private static Duration shortestTimeLeft(List<ClaimResult> results) {
        return results.stream()
                .filter(result -> result.status() == ClaimResult.Status.IN_PROGRESS)
                .map(ClaimResult::timeLeft)
                .min(Duration::compareTo)
                .orElse(null);
    }

    private BatchOutcome run(BatchInvocation invocation) {
        List<Item> running = items.stream().filter(Item::runs).toList();
        if (running.isEmpty()) {
            return finish(null);
        }
        List<LeaseRenewal> renewals = new ArrayList<>();
        Map<Integer, ItemFailure> reported;
        try {
            running.stream().filter(Item::isClaimed)
                    .map(item -> deduplicator.startRenewal(item.key, item.token))
                    .filter(Objects::nonNull)
                    .forEach(renewals::add);
            reported = invocation.proceed(running.stream().map(item -> item.position).toList());
        } catch (Throwable failure) {
            running.forEach(item -> failed(item, failure, Settlement.FAIL));
            return finish(failure);
        } finally {
            renewals.forEach(LeaseRenewal::close);
        }
        for (Item item : running) {
            ItemFailure failure = reported == null ? null : reported.get(item.position);
            if (failure == null) {
                succeeded(item);
            } else {
                failed(item, failure.cause(), failure.deadLetter() ? Settlement.REJECT : Settlement.FAIL);
                item.settledApart = mode == BatchSettlement.WHOLE_BATCH;
            }
        }
        return finish(null);
    }

    private void succeeded(Item item) {
        if (item.isClaimed()) {
            item.decide(deduplicator.completeAfterSuccess(item.key, item.token));
        } else {
            item.decide(deduplicator.report(item.eventId, DeliveryOutcome.PROCESSED_WITHOUT_CLAIM));
        }
    }

    private void failed(Item item, Throwable failure, Settlement settlement) {
        if (!item.isClaimed()) {
            item.decide(deduplicator.report(item.eventId, DeliveryOutcome.FAILED_WITHOUT_CLAIM), settlement);
        } else if (settings.maxAttempts() > 0 && item.attempt >= settings.maxAttempts()
                && !(failure instanceof Error)) {
            item.decide(deduplicator.discardAfterLastAttempt(item.key, item.token, item.attempt, failure));
        } else {
            item.decide(deduplicator.releaseAfterFailure(item.key, item.token, failure), settlement);
        }
    }

    /** A batch settled as a whole cannot run once one of its deliveries must be requeued or rejected. */
    private boolean isBlocked() {
        return mode == BatchSettlement.WHOLE_BATCH && items.stream().anyMatch(Item::blocksBatch);
    }

    private BatchOutcome blocked() {
        DeliveryOutcome cause = items.stream().filter(Item::blocksBatch)
                .map(item -> item.outcome)
                .max((a, b) -> Integer.compare(strength(a.settlement()), strength(b.settlement())))
                .orElseThrow();
        for (Item item : items) {
            if (item.outcome == null && item.original == null) {
                if (item.isClaimed()) {
                    giveBack(item);
                }
                item.decide(deduplicator.report(item.eventId, cause));
            }
        }
        return finish(null);
    }

    /** Gives back a claim whose handler never ran: a first claim is deleted, a later one released. */
    private void giveBack(Item item) {
        if (item.attempt == 1) {
            deduplicator.discardQuietly(item.key, item.token);
            return;
        }
        try {
            deduplicator.retryingStore().release(item.key, item.token, settings.retention());
            deduplicator.storeHealth().succeeded();
        } catch (RuntimeException e) {
            deduplicator.noteStoreFailure(e);
            log.warn("Could not give back the claim of {} ({}); it expires after its lease", item.key, e.toString());
        }
    }

    private BatchOutcome finish(Throwable failure) {
        items.stream().filter(item -> item.original != null).forEach(this::decideCopy);
        Settlement batch = items.stream().filter(item -> !item.settledApart).map(item -> item.settlement)
                .max((a, b) -> Integer.compare(strength(a), strength(b)))
                .orElse(Settlement.ACK);
        List<ItemOutcome> outcomes = items.stream()
                .map(item -> new ItemOutcome(item.eventId, item.outcome,
                        mode == BatchSettlement.WHOLE_BATCH && !item.settledApart ? batch : item.settlement))
                .toList();
        return new BatchOutcome(outcomes, batch, failure);
    }

    private void decideCopy(Item copy) {
        Item original = copy.original;
        if (original.settlement != Settlement.ACK) {
            copy.decide(deduplicator.report(copy.eventId, DeliveryOutcome.IN_FLIGHT_REQUEUED));
        } else if (copy.fingerprint != null && original.fingerprint != null
                && !copy.fingerprint.equals(original.fingerprint)) {
            log.error("Rejected delivery of {}: another delivery of the id in the same batch has other content "
                    + "(fingerprint {}, this delivery {}); the producer reused an id", copy.key, original.fingerprint,
                    copy.fingerprint);
            copy.decide(deduplicator.report(copy.eventId, DeliveryOutcome.CONFLICT));
        } else {
            log.debug("Skipped duplicate {}: another delivery of the id in the same batch was {}", copy.key,
                    original.outcome);
            copy.decide(deduplicator.report(copy.eventId, DeliveryOutcome.DUPLICATE));
        }
    }

    private static int strength(Settlement settlement) {
        return switch (settlement) {
            case ACK -> 0;
            case REQUEUE -> 1;
            case FAIL -> 2;
            case REJECT -> 3;
        };
    }

    /** One delivery of the batch and what has been decided for it so far. */
    private static final class Item {

        private final int position;
        private String eventId;
        private ClaimKey key;
        private OwnerToken token;
        private String fingerprint;
        private Item original;
        private int attempt;
        private boolean runsWithoutClaim;
        private boolean settledApart;
        private DeliveryOutcome outcome;
        private Settlement settlement;

        private Item(int position) {
            this.position = position;
        }

        private boolean needsClaim() {
            return token != null && attempt == 0 && outcome == null && !runsWithoutClaim;
        }

        private boolean isClaimed() {
            return attempt > 0 && !runsWithoutClaim;
        }

        private boolean runs() {
            return outcome == null && original == null && (isClaimed() || runsWithoutClaim);
        }

        private boolean blocksBatch() {
            return outcome != null && outcome.settlement() != Settlement.ACK;
        }

        private void decide(DeliveryOutcome decided) {
            decide(decided, decided.settlement());
        }

        private void decide(DeliveryOutcome decided, Settlement settledAs) {
            this.outcome = decided;
            this.settlement = settledAs;
        }
    }
}

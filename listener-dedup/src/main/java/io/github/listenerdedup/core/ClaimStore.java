package io.github.listenerdedup.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where claims live. Every operation is atomic and safe to retry with the same token: a call whose reply was lost
 * finds its own earlier write and answers as if the first call had succeeded. A token that no longer owns a claim
 * never changes it. Every key written has an expiry.
 *
 * <p>An operation that cannot reach the store throws {@link StoreUnavailableException}; it never answers as if
 * the id were a duplicate.
 */
public interface ClaimStore {

    /**
     * Claims the id: an absent or {@code RELEASED} key becomes {@code IN_PROGRESS} for the token, for the lease.
     * A key already {@code IN_PROGRESS} for the same token answers {@code ACQUIRED} again, unchanged.
     *
     * @param key         the key
     * @param token       the delivery's token
     * @param fingerprint a fingerprint of the payload to keep with the claim, or {@code null}
     * @param lease       how long the claim lives unless renewed or completed
     * @return {@code ACQUIRED} with the attempt number, or what holds the key
     */
    ClaimResult claim(ClaimKey key, OwnerToken token, String fingerprint, Duration lease);

    /**
     * Claims several ids, as {@link #claim} would one after the other, for the deliveries of one batch. Each claim
     * is atomic on its own, not the batch as a whole; a key given twice is claimed twice in order, so the second
     * request finds the first one's claim. A store that can send the claims together in one round trip overrides
     * this method; by default it claims one id after the other.
     *
     * <p>When any claim cannot be answered the call throws {@link StoreUnavailableException}; some claims may have
     * been written. Claiming the same requests again, with the same tokens, is safe: a claim written before finds
     * its own token and answers {@code ACQUIRED}.
     *
     * @param requests the claims, each with its delivery's token
     * @param lease    how long each claim lives unless renewed or completed
     * @return one result per request, in the order of the requests
     */
    default List<ClaimResult> claimAll(List<ClaimRequest> requests, Duration lease) {
        List<ClaimResult> results = new ArrayList<>(requests.size());
        for (ClaimRequest request : requests) {
            results.add(claim(request.key(), request.token(), request.fingerprint(), lease));
        }
        return results;
    }

    /**
     * Extends the lease of a claim the token owns.
     *
     * @param key   the key
     * @param token the delivery's token
     * @param lease the new lease, counted from now
     * @return {@code true} when the token owns the claim, {@code false} when it was lost
     */
    boolean renew(ClaimKey key, OwnerToken token, Duration lease);

    /**
     * Marks a claim the token owns as {@code COMPLETED}, kept for the retention.
     *
     * @param key       the key
     * @param token     the delivery's token
     * @param retention how long the completed claim is kept
     * @return {@code true} when done, also when this token had already completed it; {@code false} when lost
     */
    boolean complete(ClaimKey key, OwnerToken token, Duration retention);

    /**
     * Gives back a claim the token owns after a failed attempt: it becomes {@code RELEASED}, claimable again, and
     * keeps the attempt count for the retention.
     *
     * @param key       the key
     * @param token     the delivery's token
     * @param retention how long the released claim keeps its attempt count
     * @return {@code true} when done, also when this token had already released it; {@code false} when lost
     */
    boolean release(ClaimKey key, OwnerToken token, Duration retention);

    /**
     * Deletes a claim the token owns, {@code IN_PROGRESS} or {@code RELEASED}, so a later delivery starts afresh.
     *
     * @param key   the key
     * @param token the delivery's token
     * @return {@code true} when deleted or already gone; {@code false} when another token owns it
     */
    boolean discard(ClaimKey key, OwnerToken token);

    /**
     * Reads a claim, for operators and tests.
     *
     * @param key the key
     * @return the claim, or {@link ClaimSnapshot#ABSENT}
     */
    ClaimSnapshot inspect(ClaimKey key);

    /**
     * Deletes a claim whoever owns it, for operators: the next delivery of the id runs the handler again.
     *
     * @param key the key
     * @return {@code true} when a key was deleted
     */
    boolean forget(ClaimKey key);
}

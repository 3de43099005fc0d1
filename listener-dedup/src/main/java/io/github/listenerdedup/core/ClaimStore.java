package io.github.listenerdedup.core;

import java.time.Duration;

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

package io.github.listenerdedup.core;

import java.util.Objects;

/**
 * One claim of a batch: the key to claim, the delivery's token and the payload's fingerprint, as
 * {@link ClaimStore#claimAll} takes them.
 *
 * @param key         the key
 * @param token       the delivery's token, reused when the batch is claimed again
 * @param fingerprint a fingerprint of the payload, or {@code null}
 */
public record ClaimRequest(ClaimKey key, OwnerToken token, String fingerprint) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException when key or token is null
     */
    public ClaimRequest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(token, "token");
    }
}

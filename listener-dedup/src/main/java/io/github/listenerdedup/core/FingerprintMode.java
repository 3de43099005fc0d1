package io.github.listenerdedup.core;

/**
 * Whether a fingerprint of each payload is kept with its claim, so that an id met again with other content is
 * caught as a conflict (a producer bug) instead of being skipped as a duplicate. The default is {@link #NONE}.
 */
public enum FingerprintMode {

    /** No fingerprint: a completed id is a duplicate whatever its payload. The default. */
    NONE,

    /** SHA-256 of the body, kept with the claim (43 characters): a completed id met again with another body is
     * rejected to the dead-letter path and logged at ERROR. */
    SHA_256
}

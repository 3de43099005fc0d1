package io.github.listenerdedup.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Computes payload fingerprints: SHA-256 in URL-safe base64 without padding, 43 characters.
 */
final class Fingerprints {

    private Fingerprints() {
    }

    static String of(FingerprintMode mode, byte[] body) {
        if (mode == FingerprintMode.NONE || body == null) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

package io.github.listenerdedup.core;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * The token that names one delivery's claim. One token is made per delivery and reused on every retry of every
 * store call for that delivery, so that a retried call finds its own earlier write.
 *
 * @param value 22 URL-safe base64 characters (128 random bits) for generated tokens
 */
public record OwnerToken(String value) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    /**
     * Checks the value.
     *
     * @throws IllegalArgumentException when the value is empty or contains {@code |}
     */
    public OwnerToken {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.indexOf('|') >= 0) {
            throw new IllegalArgumentException("token must be non-empty and free of '|', but was '" + value + "'");
        }
    }

    /**
     * Makes a new random token.
     *
     * @return a token no other delivery holds
     */
    public static OwnerToken random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return new OwnerToken(ENCODER.encodeToString(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}

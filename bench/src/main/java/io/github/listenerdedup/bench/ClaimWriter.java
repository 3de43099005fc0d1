package io.github.listenerdedup.bench;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.OwnerToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes claims of a chosen state through a store, at keys of the shape {@code dedup:billing:<uuid>}, as a
 * consumer group named {@code billing} that reads UUID event ids would.
 */
final class ClaimWriter {

    /** The lease and retention of what it writes: long enough to outlast a measurement. */
    static final Duration EXPIRY = Duration.ofMinutes(10);

    private static final int WRITER_THREADS = 8;

    private final ClaimStore store;

    ClaimWriter(ClaimStore store) {
        this.store = store;
    }

    /** @return a key of the measured shape that no claim has used */
    static ClaimKey freshKey() {
        return new ClaimKey("dedup", "billing", UUID.randomUUID().toString());
    }

    /**
     * A fingerprint as the deduplicator makes one: SHA-256 of a payload in URL-safe base64 without padding.
     *
     * @return 43 characters
     */
    static String sampleFingerprint() {
        try {
            byte[] payload = "{\"invoice\":\"INV-1\",\"amountCents\":1999}".getBytes(StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(payload);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * Writes one claim and leaves it in a state.
     *
     * @param key         the key
     * @param state       {@code IN_PROGRESS}, {@code RELEASED} or {@code COMPLETED}
     * @param fingerprint the fingerprint to keep, or {@code null}
     */
    void write(ClaimKey key, ClaimState state, String fingerprint) {
        OwnerToken token = OwnerToken.random();
        store.claim(key, token, fingerprint, EXPIRY);
        boolean done = switch (state) {
            case IN_PROGRESS -> true;
            case RELEASED -> store.release(key, token, EXPIRY);
            case COMPLETED -> store.complete(key, token, EXPIRY);
            default -> throw new IllegalArgumentException("state must be written by a claim, but was " + state);
        };
        if (!done) {
            throw new IllegalStateException("The claim of " + key + " was lost before it became " + state);
        }
    }

    /**
     * Writes many completed claims at fresh keys, from several threads on the store's one connection.
     *
     * @param count       how many
     * @param fingerprint the fingerprint to keep, or {@code null}
     * @return the keys written
     */
    List<String> writeCompleted(int count, String fingerprint) {
        ExecutorService writers = Executors.newFixedThreadPool(WRITER_THREADS);
        try {
            List<Future<List<String>>> parts = new ArrayList<>();
            for (int i = 0; i < WRITER_THREADS; i++) {
                int share = count / WRITER_THREADS + (i < count % WRITER_THREADS ? 1 : 0);
                parts.add(writers.submit(() -> writeShare(share, fingerprint)));
            }
            List<String> keys = new ArrayList<>(count);
            for (Future<List<String>> part : parts) {
                keys.addAll(part.get());
            }
            return keys;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing claims", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A writer failed: " + e.getCause(), e.getCause());
        } finally {
            writers.shutdownNow();
        }
    }

    private List<String> writeShare(int share, String fingerprint) {
        List<String> keys = new ArrayList<>(share);
        for (int i = 0; i < share; i++) {
            ClaimKey key = freshKey();
            write(key, ClaimState.COMPLETED, fingerprint);
            keys.add(key.render());
        }
        return keys;
    }
}

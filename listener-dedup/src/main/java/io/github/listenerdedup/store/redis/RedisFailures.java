package io.github.listenerdedup.store.redis;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.StoreUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Sorts what Lettuce throws into the store's two kinds of failure: the store cannot answer now
 * ({@link StoreUnavailableException}: connection lost or refused, timeout, a server loading its data, a read-only
 * replica, a busy script, a full memory), or something is wrong that waiting will not fix
 * ({@link IllegalStateException}: a script error, a key holding a value that is not a claim, a missing
 * permission, a standalone client pointed at a cluster, a failed TLS handshake).
 */
final class RedisFailures {

    private static final List<String> UNAVAILABLE_REPLIES =
            List.of("LOADING", "READONLY", "BUSY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "OOM", "NOREPLICAS",
                    "MISCONF");
    private static final List<String> REDIRECT_REPLIES = List.of("MOVED", "ASK");

    private RedisFailures() {
    }

    /**
     * Translates a failure of one script call.
     *
     * @param script  the script that was called
     * @param key     its key
     * @param failure what the call threw
     * @return the exception to throw
     */
    static RuntimeException translate(ClaimScript script, ClaimKey key, RuntimeException failure) {
        String operation = script.name().toLowerCase(Locale.ROOT);
        if (failure instanceof RedisCommandExecutionException && startsWithAny(failure.getMessage(),
                REDIRECT_REPLIES)) {
            return new IllegalStateException("Redis answered " + failure.getMessage() + " to " + operation + " " + key
                    + ": a standalone client is pointed at Redis Cluster; connect with "
                    + "RedisClaimStore.connectCluster(...)", failure);
        }
        if (failure instanceof RedisCommandExecutionException && !isUnavailableReply(failure.getMessage())) {
            return new IllegalStateException(
                    "Redis refused to " + operation + " " + key + ": " + failure.getMessage(), failure);
        }
        if (failure instanceof RedisException) {
            if (failure instanceof RedisCommandInterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new StoreUnavailableException(
                    "Redis could not " + operation + " " + key + ": " + failure.getMessage(), failure);
        }
        return failure;
    }

    /**
     * Translates a failure to open a connection.
     *
     * @param target  where the connection was to go
     * @param failure what connecting threw
     * @return the exception to throw
     */
    static RuntimeException translateConnect(String target, RuntimeException failure) {
        for (Throwable cause : causesOf(failure)) {
            if (cause instanceof RedisCommandExecutionException && !isUnavailableReply(cause.getMessage())) {
                return new IllegalStateException("Redis at " + target + " refused the connection: "
                        + cause.getMessage(), failure);
            }
            if (cause instanceof SSLException) {
                return new IllegalStateException("The TLS handshake with Redis at " + target + " failed: "
                        + cause.getMessage() + "; check that the server's certificate is trusted and names the host",
                        failure);
            }
        }
        if (failure instanceof RedisException) {
            return new StoreUnavailableException("Could not connect to Redis at " + target + ": "
                    + failure.getMessage(), failure);
        }
        return failure;
    }

    /** A failure, its causes and what they suppressed (a cluster client keeps each seed's failure so). */
    private static List<Throwable> causesOf(Throwable failure) {
        List<Throwable> found = new ArrayList<>();
        Deque<Throwable> pending = new ArrayDeque<>(List.of(failure));
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!pending.isEmpty()) {
            Throwable next = pending.pop();
            if (seen.add(next)) {
                found.add(next);
                Optional.ofNullable(next.getCause()).ifPresent(pending::add);
                pending.addAll(Arrays.asList(next.getSuppressed()));
            }
        }
        return found;
    }

    static boolean isUnavailableReply(String message) {
        return startsWithAny(message, UNAVAILABLE_REPLIES);
    }

    private static boolean startsWithAny(String message, List<String> codes) {
        return message != null && codes.stream().anyMatch(code -> startsWithCode(message, code));
    }

    private static boolean startsWithCode(String message, String code) {
        return message.startsWith(code)
                && (message.length() == code.length() || message.charAt(code.length()) == ' ');
    }
}

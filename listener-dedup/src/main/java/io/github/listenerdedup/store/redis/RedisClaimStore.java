package io.github.listenerdedup.store.redis;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimRequest;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.core.StoreUnavailableException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link ClaimStore} in Redis, through Lettuce. Each operation is one small Lua script, sent by {@code EVALSHA}
 * (and by {@code EVAL} when the server has lost its script cache), so each is atomic and costs one round trip.
 * Each key is a short string of a versioned format with an expiry, see the {@linkplain
 * io.github.listenerdedup.store.redis package documentation}.
 *
 * <p>Hand it a connection you manage, opened with {@link StringCodec#UTF8}; Lettuce connections are thread-safe,
 * and one is shared by every consumer thread:
 * <pre>{@code
 * RedisClient client = RedisClient.create("redis://localhost:6379");
 * StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8);
 * connection.setTimeout(Duration.ofSeconds(1));
 * ClaimStore store = new RedisClaimStore(connection);
 * }</pre>
 * or let the store open and close its own:
 * <pre>{@code
 * try (RedisClaimStore store = RedisClaimStore.connect("redis://localhost:6379")) {
 *     Deduplicator deduplicator = new Deduplicator(settings, store);
 * }
 * }</pre>
 *
 * <p>A lost connection, a timeout, a server loading its data set, a read-only replica, a busy script or a full
 * memory throw {@link StoreUnavailableException}. A script error, a key that holds something other than a claim,
 * a missing ACL permission or a cluster behind a standalone client throw {@link IllegalStateException}. Leases and
 * retentions are kept to the millisecond, rounded up, and must be positive.
 */
public final class RedisClaimStore implements ClaimStore, AutoCloseable {

    /** The command timeout of a store that opens its own connection from a URI that names none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    private final ScriptExecutor scripts;
    private final Runnable closeResources;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Creates a store on a connection the caller opened and will close; {@link #close()} leaves it open.
     *
     * @param connection a connection opened with {@link StringCodec#UTF8}; its timeout bounds every call
     */
    public RedisClaimStore(StatefulRedisConnection<String, String> connection) {
        this(new LettuceScriptExecutor(Objects.requireNonNull(connection, "connection").sync()), () -> { });
    }

    RedisClaimStore(ScriptExecutor scripts, Runnable closeResources) {
        this.scripts = Objects.requireNonNull(scripts, "scripts");
        this.closeResources = Objects.requireNonNull(closeResources, "closeResources");
    }

    /**
     * Opens a connection of the caller's client for a store that closes it on {@link #close()}; the client stays
     * the caller's to shut down.
     *
     * @param client the client; the timeout of its URI bounds every call
     * @return the store
     * @throws StoreUnavailableException when Redis cannot be reached
     */
    public static RedisClaimStore connect(RedisClient client) {
        Objects.requireNonNull(client, "client");
        StatefulRedisConnection<String, String> connection = open(client, "the client's URI");
        return new RedisClaimStore(new LettuceScriptExecutor(connection.sync()), connection::close);
    }

    /**
     * Creates a client and a connection for a store that closes both on {@link #close()}.
     *
     * @param uri where Redis runs; its timeout bounds every call, and when it names none (Lettuce's default of
     *            60 s) the store uses {@link #DEFAULT_TIMEOUT} instead
     * @return the store
     * @throws StoreUnavailableException when Redis cannot be reached
     */
    public static RedisClaimStore connect(RedisURI uri) {
        Objects.requireNonNull(uri, "uri");
        if (RedisURI.DEFAULT_TIMEOUT_DURATION.equals(uri.getTimeout())) {
            uri = RedisURI.builder(uri).withTimeout(DEFAULT_TIMEOUT).build();
        }
        RedisClient client = RedisClient.create(uri);
        try {
            StatefulRedisConnection<String, String> connection = open(client, uri.toString());
            return new RedisClaimStore(new LettuceScriptExecutor(connection.sync()), () -> {
                connection.close();
                client.shutdown();
            });
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /**
     * Creates a client and a connection for a store that closes both on {@link #close()}.
     *
     * @param uri where Redis runs, for example {@code redis://localhost:6379} or
     *            {@code redis://localhost:6379?timeout=2s}; without a timeout, {@link #DEFAULT_TIMEOUT}
     * @return the store
     * @throws StoreUnavailableException when Redis cannot be reached
     */
    public static RedisClaimStore connect(String uri) {
        return connect(RedisURI.create(Objects.requireNonNull(uri, "uri")));
    }

    @Override
    public ClaimResult claim(ClaimKey key, OwnerToken token, String fingerprint, Duration lease) {
        String fingerprintField = ClaimValue.fingerprintField(WellFormedText.require("fingerprint", fingerprint));
        ScriptReply reply = run(ClaimScript.CLAIM, key, value(token), millis("lease", lease), fingerprintField);
        return claimResult(reply, key, token);
    }

    /**
     * Claims the batch with one {@code EVALSHA} per id, all sent in a single write on the connection and answered
     * together: one round trip for the batch (see {@link ClaimStore#claimAll}).
     */
    @Override
    public List<ClaimResult> claimAll(List<ClaimRequest> requests, Duration lease) {
        String leaseMillis = millis("lease", lease);
        List<String> keys = new ArrayList<>(requests.size());
        List<String[]> args = new ArrayList<>(requests.size());
        for (ClaimRequest request : requests) {
            keys.add(WellFormedText.require("key", request.key().render()));
            args.add(new String[] {value(request.token()), leaseMillis,
                    ClaimValue.fingerprintField(WellFormedText.require("fingerprint", request.fingerprint()))});
        }
        List<List<Object>> raw = runAll(keys, args, requests);
        List<ClaimResult> results = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            ClaimRequest request = requests.get(i);
            results.add(claimResult(reply(ClaimScript.CLAIM, request.key(), raw.get(i)), request.key(),
                    request.token()));
        }
        return results;
    }

    private ClaimResult claimResult(ScriptReply reply, ClaimKey key, OwnerToken token) {
        ClaimValue found = read(reply, key);
        if (reply.done()) {
            return ClaimResult.acquired(token.value(), found.attempts(), reply.timeLeft());
        }
        return switch (found.state()) {
            case COMPLETED -> ClaimResult.completed(found.owner(), found.fingerprint(), reply.timeLeft());
            case IN_PROGRESS -> ClaimResult.inProgress(found.owner(), reply.timeLeft());
            default -> throw new IllegalStateException("The claim script left " + key + " " + found.state());
        };
    }

    @Override
    public boolean renew(ClaimKey key, OwnerToken token, Duration lease) {
        return run(ClaimScript.RENEW, key, value(token), millis("lease", lease)).done();
    }

    @Override
    public boolean complete(ClaimKey key, OwnerToken token, Duration retention) {
        return run(ClaimScript.COMPLETE, key, value(token), millis("retention", retention)).done();
    }

    @Override
    public boolean release(ClaimKey key, OwnerToken token, Duration retention) {
        return run(ClaimScript.RELEASE, key, value(token), millis("retention", retention)).done();
    }

    @Override
    public boolean discard(ClaimKey key, OwnerToken token) {
        return run(ClaimScript.DISCARD, key, value(token)).done();
    }

    @Override
    public ClaimSnapshot inspect(ClaimKey key) {
        ScriptReply reply = run(ClaimScript.INSPECT, key);
        return reply.hasValue() ? read(reply, key).snapshot(reply.timeLeft()) : ClaimSnapshot.ABSENT;
    }

    @Override
    public boolean forget(ClaimKey key) {
        return run(ClaimScript.FORGET, key).done();
    }

    /**
     * Closes the connection and client this store opened itself; a connection handed to the constructor stays
     * open. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeResources.run();
        }
    }

    private ScriptReply run(ClaimScript script, ClaimKey key, String... args) {
        String rendered = WellFormedText.require("key", Objects.requireNonNull(key, "key").render());
        List<Object> raw;
        try {
            raw = scripts.run(script, rendered, args);
        } catch (RuntimeException e) {
            throw RedisFailures.translate(script, key, e);
        }
        return reply(script, key, raw);
    }

    private List<List<Object>> runAll(List<String> keys, List<String[]> args, List<ClaimRequest> requests) {
        if (keys.isEmpty()) {
            return List.of();
        }
        try {
            return scripts.runAll(ClaimScript.CLAIM, keys, args);
        } catch (RuntimeException e) {
            throw RedisFailures.translate(ClaimScript.CLAIM, requests.get(0).key(), e);
        }
    }

    private static ScriptReply reply(ClaimScript script, ClaimKey key, List<Object> raw) {
        try {
            return ScriptReply.of(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The " + script + " script on " + key + " answered " + e.getMessage(), e);
        }
    }

    private static ClaimValue read(ScriptReply reply, ClaimKey key) {
        if (!reply.hasValue()) {
            throw new IllegalStateException("The claim script left no value at " + key);
        }
        try {
            return ClaimValue.parse(reply.value());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + " holds a value this release cannot read ("
                    + e.getMessage() + "); was it written by a newer release or by another program?", e);
        }
    }

    private static StatefulRedisConnection<String, String> open(RedisClient client, String target) {
        try {
            return client.connect(StringCodec.UTF8);
        } catch (RuntimeException e) {
            throw RedisFailures.translateConnect(target, e);
        }
    }

    private static String value(OwnerToken token) {
        return WellFormedText.require("token", Objects.requireNonNull(token, "token").value());
    }

    private static String millis(String field, Duration duration) {
        Objects.requireNonNull(duration, field);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, but was " + duration);
        }
        long millis = duration.toMillis();
        return Long.toString(duration.equals(Duration.ofMillis(millis)) ? millis : millis + 1);
    }
}

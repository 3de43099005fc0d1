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
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * A {@link ClaimStore} in Redis, through Lettuce. Each operation is one small Lua script on one key, sent by
 * {@code EVALSHA} (and by {@code EVAL} when the server has lost its script cache), so each is atomic, costs one
 * round trip and runs on Redis Cluster as well. Each key is a short string of a versioned format with an expiry,
 * see the {@linkplain io.github.listenerdedup.store.redis package documentation}.
 *
 * <p>Standalone Redis, TLS and Sentinel through a URI; the store opens and closes its own client:
 * <pre>{@code
 * RedisClaimStore standalone = RedisClaimStore.connect("redis://localhost:6379");
 * RedisClaimStore tls = RedisClaimStore.connect("rediss://dedup:secret@redis.example.com:6380?timeout=2s");
 * RedisClaimStore sentinel = RedisClaimStore.connect("redis-sentinel://s1:26379,s2:26379,s3:26379#claims");
 * }</pre>
 * Redis Cluster through seed nodes, or through a cluster client of the caller's:
 * <pre>{@code
 * RedisClaimStore cluster = RedisClaimStore.connectCluster("redis://node-a:7000", "redis://node-b:7000");
 * RedisClaimStore ownClient = RedisClaimStore.connectCluster(clusterClient);
 * }</pre>
 * or on a connection the caller opened (with {@link StringCodec#UTF8}) and will close; Lettuce connections are
 * thread-safe, and one is shared by every consumer thread:
 * <pre>{@code
 * StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8);
 * ClaimStore store = new RedisClaimStore(connection);
 * }</pre>
 *
 * <p>A client the store creates itself rejects commands while disconnected rather than buffering them, so a call
 * during an outage fails at once instead of running later, and a cluster client follows {@code MOVED} replies by
 * refreshing its topology. Give a client of your own the same {@code ClientOptions} when you pass it in.
 *
 * <p>At start-up the store refuses a standalone connection to a node of Redis Cluster or to a Sentinel, and logs a
 * WARN for a replica and for any {@code maxmemory-policy} but {@code noeviction} (where the server lets the store's
 * user run {@code CONFIG GET}).
 *
 * <p>A lost connection, a timeout, a server loading its data set, a read-only replica, a cluster or primary that
 * is down, a busy script or a full memory throw {@link StoreUnavailableException}. A script error, a key that holds
 * something other than a claim, a missing ACL permission, a failed TLS handshake, wrong credentials or a cluster
 * behind a standalone client throw {@link IllegalStateException}. Leases and retentions are kept to the
 * millisecond, rounded up, and must be positive.
 */
public final class RedisClaimStore implements ClaimStore, AutoCloseable {

    /** The command timeout of a store that opens its own client from a URI that names none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    private final ScriptExecutor scripts;
    private final Runnable closeResources;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Creates a store on a standalone connection the caller opened and will close; {@link #close()} leaves it
     * open. Checks the server at once, as the class describes.
     *
     * @param connection a connection opened with {@link StringCodec#UTF8}; its timeout bounds every call
     * @throws IllegalStateException when the connection goes to a node of Redis Cluster or to a Sentinel
     */
    public RedisClaimStore(StatefulRedisConnection<String, String> connection) {
        this(new LettuceScriptExecutor(checked(connection).sync()), () -> { });
    }

    /**
     * Creates a store on a Redis Cluster connection the caller opened and will close; {@link #close()} leaves it
     * open. Checks the eviction policy of each primary at once.
     *
     * @param connection a cluster connection opened with {@link StringCodec#UTF8}; its timeout bounds every call
     */
    public RedisClaimStore(StatefulRedisClusterConnection<String, String> connection) {
        this(new LettuceScriptExecutor(checked(connection).sync()), () -> { });
    }

    RedisClaimStore(ScriptExecutor scripts, Runnable closeResources) {
        this.scripts = Objects.requireNonNull(scripts, "scripts");
        this.closeResources = Objects.requireNonNull(closeResources, "closeResources");
    }

    /**
     * Opens a connection of the caller's client, standalone or through Sentinel, for a store that closes it on
     * {@link #close()}; the client stays the caller's to shut down.
     *
     * @param client the client; the timeout of its URI bounds every call
     * @return the store
     * @throws StoreUnavailableException when Redis cannot be reached
     * @throws IllegalStateException     when Redis refuses the connection or the server is not a standalone one
     */
    public static RedisClaimStore connect(RedisClient client) {
        Objects.requireNonNull(client, "client");
        String target = "the client's URI";
        StatefulRedisConnection<String, String> connection = RedisConnections.open(client, target);
        return standalone(connection, target, connection::close);
    }

    /**
     * Creates a client and a connection, standalone or through Sentinel, for a store that closes both on
     * {@link #close()}.
     *
     * @param uri where Redis runs; its timeout bounds every call, and when it names none (Lettuce's default of
     *            60 s) the store uses {@link #DEFAULT_TIMEOUT} instead
     * @return the store
     * @throws StoreUnavailableException when Redis cannot be reached
     * @throws IllegalStateException     when Redis refuses the connection or the server is not a standalone one
     */
    public static RedisClaimStore connect(RedisURI uri) {
        RedisURI timed = RedisConnections.withTimeout(Objects.requireNonNull(uri, "uri"), DEFAULT_TIMEOUT);
        RedisClient client = RedisConnections.standaloneClient(timed);
        String target = timed.toString();
        StatefulRedisConnection<String, String> connection =
                RedisConnections.openOwned(client, c -> c.connect(StringCodec.UTF8), target);
        return standalone(connection, target, () -> {
            connection.close();
            RedisConnections.shutdown(client);
        });
    }

    /**
     * Creates a client and a connection for a store that closes both on {@link #close()}.
     *
     * @param uri where Redis runs: {@code redis://host:port}, {@code rediss://} for TLS,
     *            {@code redis-sentinel://host:port[,host:port]#primaryName} for Sentinel; credentials as
     *            {@code redis://user:password@host} (or {@code :password@} for {@code requirepass}), options such
     *            as {@code ?timeout=2s} or {@code &verifyPeer=CA}; without a timeout, {@link #DEFAULT_TIMEOUT}
     * @return the store
     * @throws StoreUnavailableException when Redis cannot be reached
     * @throws IllegalStateException     when Redis refuses the connection or the server is not a standalone one
     */
    public static RedisClaimStore connect(String uri) {
        return connect(RedisURI.create(Objects.requireNonNull(uri, "uri")));
    }

    /**
     * Opens a connection of the caller's Redis Cluster client for a store that closes it on {@link #close()}; the
     * client stays the caller's to shut down.
     *
     * @param client the client; the timeout of its first URI bounds every call
     * @return the store
     * @throws StoreUnavailableException when no seed node can be reached
     * @throws IllegalStateException     when the nodes refuse the connection or are not in cluster mode
     */
    public static RedisClaimStore connectCluster(RedisClusterClient client) {
        Objects.requireNonNull(client, "client");
        String target = "the cluster client's seeds";
        StatefulRedisClusterConnection<String, String> connection = RedisConnections.open(client, target);
        ServerChecks.checkCluster(connection, target);
        return new RedisClaimStore(new LettuceScriptExecutor(connection.sync()), connection::close);
    }

    /**
     * Creates a Redis Cluster client and connection for a store that closes both on {@link #close()}.
     *
     * @param seedUris some nodes of the cluster, for example {@code redis://node-a:7000}; the client learns the
     *                 others from them. The timeout of the first bounds every call; without one,
     *                 {@link #DEFAULT_TIMEOUT}
     * @return the store
     * @throws StoreUnavailableException when no seed node can be reached
     * @throws IllegalStateException     when the nodes refuse the connection or are not in cluster mode
     */
    public static RedisClaimStore connectCluster(String... seedUris) {
        return connectCluster(Arrays.stream(Objects.requireNonNull(seedUris, "seedUris")).map(RedisURI::create)
                .toList());
    }

    /**
     * Creates a Redis Cluster client and connection for a store that closes both on {@link #close()}.
     *
     * @param seeds some nodes of the cluster; the timeout of the first bounds every call; without one,
     *              {@link #DEFAULT_TIMEOUT}
     * @return the store
     * @throws StoreUnavailableException when no seed node can be reached
     * @throws IllegalStateException     when the nodes refuse the connection or are not in cluster mode
     */
    public static RedisClaimStore connectCluster(List<RedisURI> seeds) {
        if (Objects.requireNonNull(seeds, "seeds").isEmpty()) {
            throw new IllegalArgumentException("seeds must name at least one node of the cluster, but was empty");
        }
        List<RedisURI> timed = seeds.stream().map(seed -> RedisConnections.withTimeout(seed, DEFAULT_TIMEOUT))
                .toList();
        RedisClusterClient client = RedisConnections.clusterClient(timed);
        String target = timed.stream().map(RedisURI::toString).collect(Collectors.joining(", ", "[", "]"));
        StatefulRedisClusterConnection<String, String> connection =
                RedisConnections.openOwned(client, c -> c.connect(StringCodec.UTF8), target);
        ServerChecks.checkCluster(connection, target);
        return new RedisClaimStore(new LettuceScriptExecutor(connection.sync()), () -> {
            connection.close();
            RedisConnections.shutdown(client);
        });
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

    private static RedisClaimStore standalone(StatefulRedisConnection<String, String> connection, String target,
            Runnable closeResources) {
        try {
            ServerChecks.checkStandalone(connection, target);
        } catch (RuntimeException e) {
            closeResources.run();
            throw e;
        }
        return new RedisClaimStore(new LettuceScriptExecutor(connection.sync()), closeResources);
    }

    private static StatefulRedisConnection<String, String> checked(StatefulRedisConnection<String, String> connection) {
        ServerChecks.checkStandalone(Objects.requireNonNull(connection, "connection"), "the given connection");
        return connection;
    }

    private static StatefulRedisClusterConnection<String, String> checked(
            StatefulRedisClusterConnection<String, String> connection) {
        ServerChecks.checkCluster(Objects.requireNonNull(connection, "connection"), "the given connection");
        return connection;
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

/**
 * A claim store in Redis, through Lettuce: {@link io.github.listenerdedup.store.redis.RedisClaimStore}.
 *
 * <h2>Values</h2>
 * Each claim is one Redis string at its key, {@code <prefix>:<group>:<eventId>}, always written with an
 * expiry. Format 1:
 * <pre>{@code
 * 1|I|<owner>|<attempts>|              IN_PROGRESS, lives for the lease
 * 1|R|<owner>|<attempts>|              RELEASED, lives for the retention
 * 1|C|<owner>|<attempts>|<epoch ms>    COMPLETED, lives for the retention
 * }</pre>
 * each followed by {@code |<fingerprint>} when a fingerprint was given. The first field is the format version.
 * Owner tokens never contain {@code |}, and the fingerprint comes last, so it may. The completion time is the
 * Redis server's clock. A completed claim without a fingerprint is a 42-byte value, short enough for Redis to
 * keep it in the same allocation as its object header.
 *
 * <h2>Scripts</h2>
 * Every operation is one {@code EVALSHA} of a script on one key ({@code EVAL} when the server lost its script
 * cache), so each is atomic, costs one round trip and runs on Redis Cluster as well. Each answers whether it took
 * effect, the value the key holds afterwards and its {@code PTTL}:
 * <ul>
 *   <li>claim: absent or {@code R} becomes {@code I} for the token with attempts + 1; otherwise the key is
 *       answered unchanged, as the caller's own when it is {@code I} for the same token;</li>
 *   <li>renew: {@code I} of the token gets a new lease;</li>
 *   <li>complete: {@code I} of the token becomes {@code C}, stamped by {@code TIME}; {@code C} of the token
 *       answers done;</li>
 *   <li>release: {@code I} of the token becomes {@code R}; {@code R} of the token answers done;</li>
 *   <li>discard: deletes {@code I} or {@code R} of the token; answers done when there is no key;</li>
 *   <li>inspect: reads the value and its time left; forget: deletes the key.</li>
 * </ul>
 *
 * <h2>Deployments</h2>
 * Standalone Redis, TLS ({@code rediss://}) and Sentinel ({@code redis-sentinel://}) through
 * {@link io.github.listenerdedup.store.redis.RedisClaimStore#connect(String)}; Redis Cluster through
 * {@link io.github.listenerdedup.store.redis.RedisClaimStore#connectCluster(String...)}. Every key is one slot and
 * every script touches one key, so each operation stays atomic on a cluster. Redis replicates asynchronously: a
 * failover can lose a claim written just before it, and a redelivery of that id then runs its handler again.
 *
 * <h2>Commands</h2>
 * {@code EVALSHA} and {@code EVAL}; inside the scripts {@code GET}, {@code SET} with {@code PX},
 * {@code PEXPIRE}, {@code PTTL}, {@code DEL} and {@code TIME}. An ACL user for the store needs
 * {@code +evalsha +eval +get +set +pexpire +pttl +del +time} on the key pattern {@code <prefix>:*}:
 * <pre>{@code
 * ACL SETUSER dedup on >secret ~dedup:* resetchannels -@all +evalsha +eval +get +set +pexpire +pttl +del +time
 * }</pre>
 * Lettuce's handshake also sends {@code HELLO} (always allowed), {@code CLIENT SETINFO} (a refusal is ignored) and
 * {@code SELECT} for a database other than 0. At start-up the store reads {@code CONFIG GET maxmemory-policy}
 * and, on a connection that speaks RESP2, {@code INFO server}; add {@code +config|get +info} to have those checks
 * made, or leave them out and the checks are skipped.
 */
package io.github.listenerdedup.store.redis;

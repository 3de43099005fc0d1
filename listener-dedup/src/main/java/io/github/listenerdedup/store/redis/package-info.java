/**
 * A claim store in Redis, through Lettuce: {@link io.github.listenerdedup.store.redis.RedisClaimStore}.
 *
 * <h2>Values</h2>
 * Each claim is one Redis string at its key ({@code <prefix>:<group>:<eventId>}), always written with an expiry,
 * in format 1:
 * <pre>
 * 1|I|&lt;owner&gt;|&lt;attempts&gt;|[|&lt;fingerprint&gt;]                     IN_PROGRESS, lives for the lease
 * 1|R|&lt;owner&gt;|&lt;attempts&gt;|[|&lt;fingerprint&gt;]                     RELEASED, lives for the retention
 * 1|C|&lt;owner&gt;|&lt;attempts&gt;|&lt;completed at, epoch ms&gt;[|&lt;fingerprint&gt;]  COMPLETED, lives for the retention
 * </pre>
 * The first field is the format version. Owner tokens never contain {@code |}; the fingerprint field is there only
 * when a fingerprint was given and comes last, so it may. The completion time is the Redis server's clock. A
 * completed claim without a fingerprint takes about 45 bytes of value.
 *
 * <h2>Commands</h2>
 * Every operation is one {@code EVALSHA} (or {@code EVAL} after the server lost its script cache) of a script on
 * one key, so it works on Redis Cluster too. Inside the scripts: {@code GET}, {@code SET} with {@code PX},
 * {@code PEXPIRE}, {@code PTTL}, {@code DEL} and {@code TIME}. An ACL user for the store needs
 * {@code +evalsha +eval +get +set +pexpire +pttl +del +time} on the key pattern {@code <prefix>:*}; Lettuce's
 * connection handshake also sends {@code HELLO} (always allowed), {@code CLIENT SETINFO} (its failure is ignored)
 * and {@code SELECT} for a database other than 0.
 */
package io.github.listenerdedup.store.redis;

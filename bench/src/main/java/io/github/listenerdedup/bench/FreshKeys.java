package io.github.listenerdedup.bench;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.DedupSettings;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Keys no claim has used yet, one thread's own: {@code dedup:<group>:<uuid>}, where the group is random for the
 * benchmark process and each id is a UUID whose high bits are random for the thread and whose low bits count.
 * A key is about as long as one of a consumer that reads UUID event ids, and making it costs no random draw.
 */
@State(Scope.Thread)
public class FreshKeys {

    private static final String GROUP = "bench-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());

    private final long threadBits = ThreadLocalRandom.current().nextLong();
    private long counter;

    /** @return a key this benchmark process has not used before */
    public ClaimKey next() {
        return new ClaimKey(DedupSettings.DEFAULT_KEY_PREFIX, GROUP, new UUID(threadBits, ++counter).toString());
    }
}

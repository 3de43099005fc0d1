package io.github.listenerdedup.bench;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.store.redis.RedisClaimStore;
import java.util.List;

/**
 * Prints, as Markdown tables, the memory Redis reports for one claim in each state at a key
 * {@code dedup:billing:<uuid>}, beside a bare {@code SET} of the same key, and the growth of {@code used_memory}
 * per completed claim over many claims, which adds the dictionary entries, the expiry and the table slots that
 * {@code MEMORY USAGE} leaves out.
 *
 * <p>Run it on a server of its own, for {@code used_memory} counts every client's keys:
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar io.github.listenerdedup.bench.MemoryFootprint redis://127.0.0.1:6390 100000
 * }</pre>
 * It deletes every key it wrote before it exits.
 */
public final class MemoryFootprint {

    private static final int DEFAULT_CLAIMS = 100_000;

    private final RedisAdmin memory;
    private final ClaimWriter writer;
    private final String fingerprint = ClaimWriter.sampleFingerprint();

    private MemoryFootprint(RedisAdmin memory, ClaimWriter writer) {
        this.memory = memory;
        this.writer = writer;
    }

    /**
     * Measures and prints.
     *
     * @param args the Redis URI (default {@value BenchedStore#DEFAULT_REDIS_URI}) and how many claims to write
     *             for the {@code used_memory} figures (default {@value #DEFAULT_CLAIMS})
     */
    public static void main(String[] args) {
        String uri = args.length > 0 ? args[0] : BenchedStore.redisUri();
        int claims = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_CLAIMS;
        try (RedisClaimStore store = RedisClaimStore.connect(uri); RedisAdmin memory = RedisAdmin.connect(uri)) {
            MemoryFootprint footprint = new MemoryFootprint(memory, new ClaimWriter(store));
            footprint.printSingleKeys();
            footprint.printPerClaimGrowth(claims);
        }
    }

    private void printSingleKeys() {
        System.out.println("| stored at dedup:billing:<uuid> | value bytes | MEMORY USAGE bytes |");
        System.out.println("|---|---:|---:|");
        printPlainSet("1");
        printPlainSet("a");
        for (ClaimState state : List.of(ClaimState.IN_PROGRESS, ClaimState.RELEASED, ClaimState.COMPLETED)) {
            printClaim(state, null);
            printClaim(state, fingerprint);
        }
        System.out.println();
    }

    private void printPlainSet(String value) {
        String key = ClaimWriter.freshKey().render();
        memory.commands().set(key, value);
        printRow("`SET <key> " + value + "`", key);
    }

    private void printClaim(ClaimState state, String claimFingerprint) {
        ClaimKey key = ClaimWriter.freshKey();
        writer.write(key, state, claimFingerprint);
        printRow(state + (claimFingerprint == null ? ", no fingerprint" : ", with fingerprint"), key.render());
    }

    private void printRow(String label, String key) {
        long valueBytes = memory.commands().strlen(key);
        long usage = memory.usage(key);
        memory.commands().unlink(key);
        System.out.printf("| %s | %d | %d |%n", label, valueBytes, usage);
    }

    private void printPerClaimGrowth(int claims) {
        System.out.printf("| %,d COMPLETED claims | keys before | used_memory growth | bytes per claim |%n", claims);
        System.out.println("|---|---:|---:|---:|");
        List<String> plain = printGrowth(claims, null);
        List<String> fingerprinted = printGrowth(claims, fingerprint);
        memory.unlink(plain);
        memory.unlink(fingerprinted);
    }

    private List<String> printGrowth(int claims, String claimFingerprint) {
        long keysBefore = memory.commands().dbsize();
        long before = memory.usedMemory();
        List<String> keys = writer.writeCompleted(claims, claimFingerprint);
        long growth = memory.usedMemory() - before;
        System.out.printf("| %s | %,d | %,d | %.1f |%n", claimFingerprint == null ? "no fingerprint"
                : "with fingerprint", keysBefore, growth, (double) growth / claims);
        return keys;
    }
}

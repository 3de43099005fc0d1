package io.github.listenerdedup.store.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs one claim script on one key in one round trip. The store talks to Redis only through this seam, so the same
 * scripts can run over a standalone, Sentinel or Cluster connection.
 *
 * <p>Implementations throw the client's own exceptions; the store turns them into its answers.
 */
interface ScriptExecutor {

    /**
     * Runs the script.
     *
     * @param script the script
     * @param key    the one key the script touches
     * @param args   the script's arguments
     * @return the script's raw reply
     */
    List<Object> run(ClaimScript script, String key, String... args);

    /**
     * Runs the script once per key, for a batch. An executor that can send the calls together overrides this;
     * by default it runs them one after the other.
     *
     * @param script the script
     * @param keys   one key per call
     * @param args   the arguments of each call, in the order of the keys
     * @return the raw replies, in the order of the keys
     */
    default List<List<Object>> runAll(ClaimScript script, List<String> keys, List<String[]> args) {
        List<List<Object>> replies = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            replies.add(run(script, keys.get(i), args.get(i)));
        }
        return replies;
    }
}

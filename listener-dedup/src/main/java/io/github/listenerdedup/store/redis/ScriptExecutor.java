package io.github.listenerdedup.store.redis;

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
}

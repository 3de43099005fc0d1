package io.github.listenerdedup.store.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.api.sync.RedisScriptingCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs claim scripts through Lettuce's synchronous scripting commands: {@code EVALSHA} first, and {@code EVAL} with
 * the full source when the server answers {@code NOSCRIPT} (after a restart, a failover or {@code SCRIPT FLUSH}).
 * {@code EVAL} also caches the script again, so the next call goes by digest.
 *
 * <p>Both {@code RedisCommands} and {@code RedisAdvancedClusterCommands} are scripting commands; a cluster
 * connection routes each call by its one key.
 */
final class LettuceScriptExecutor implements ScriptExecutor {

    private static final Logger log = LoggerFactory.getLogger(LettuceScriptExecutor.class);

    private final RedisScriptingCommands<String, String> commands;

    LettuceScriptExecutor(RedisScriptingCommands<String, String> commands) {
        this.commands = Objects.requireNonNull(commands, "commands");
    }

    @Override
    public List<Object> run(ClaimScript script, String key, String... args) {
        String[] keys = {key};
        try {
            return commands.evalsha(script.sha(), ScriptOutputType.MULTI, keys, args);
        } catch (RedisNoScriptException e) {
            log.debug("Redis has no cached {} script; sending its source", script);
            return commands.eval(script.source(), ScriptOutputType.MULTI, keys, args);
        }
    }

    /**
     * Sends the calls in one write on the commands' connection ({@link PipelinedScripts}), or one after the other
     * when the commands do not show their connection.
     */
    @Override
    public List<List<Object>> runAll(ClaimScript script, List<String> keys, List<String[]> args) {
        StatefulConnection<String, String> connection = connectionOf(commands);
        if (connection == null || keys.size() < 2) {
            return ScriptExecutor.super.runAll(script, keys, args);
        }
        return new PipelinedScripts(connection, this).runAll(script, keys, args);
    }

    private static StatefulConnection<String, String> connectionOf(RedisScriptingCommands<String, String> commands) {
        if (commands instanceof RedisCommands<String, String> standalone) {
            return standalone.getStatefulConnection();
        }
        if (commands instanceof RedisAdvancedClusterCommands<String, String> cluster) {
            return cluster.getStatefulConnection();
        }
        return null;
    }
}

package io.github.listenerdedup.store.redis;

import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends the calls of one batch as {@code EVALSHA} commands in a single write on the shared connection, the way
 * Lettuce dispatches a collection of commands, and waits for their replies together: one round trip for the batch.
 * The connection's auto-flush setting is never touched, so other threads' commands are unaffected. A call that
 * finds the script cache empty ({@code NOSCRIPT}) is run again on its own through the executor, which sends the
 * source. A cluster connection routes each command to the node of its key.
 */
final class PipelinedScripts {

    private final StatefulConnection<String, String> connection;
    private final ScriptExecutor single;

    /**
     * @param connection the connection, opened with {@link StringCodec#UTF8}; its timeout bounds the batch
     * @param single     runs one call, for the calls that must be sent again
     */
    PipelinedScripts(StatefulConnection<String, String> connection, ScriptExecutor single) {
        this.connection = connection;
        this.single = single;
    }

    List<List<Object>> runAll(ClaimScript script, List<String> keys, List<String[]> args) {
        List<AsyncCommand<String, String, List<Object>>> sent = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            sent.add(new AsyncCommand<>(evalsha(script, keys.get(i), args.get(i))));
        }
        connection.dispatch(new ArrayList<RedisCommand<String, String, ?>>(sent));
        long deadline = System.nanoTime() + connection.getTimeout().toNanos();
        List<List<Object>> replies = new ArrayList<>(keys.size());
        for (int i = 0; i < sent.size(); i++) {
            try {
                replies.add(await(sent.get(i), deadline));
            } catch (RedisNoScriptException e) {
                replies.add(single.run(script, keys.get(i), args.get(i)));
            }
        }
        return replies;
    }

    private static Command<String, String, List<Object>> evalsha(ClaimScript script, String key, String[] args) {
        CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8)
                .add(script.sha())
                .add(1)
                .addKey(key)
                .addValues(args);
        return new Command<>(CommandType.EVALSHA, new NestedMultiOutput<>(StringCodec.UTF8), commandArgs);
    }

    private List<Object> await(AsyncCommand<String, String, List<Object>> command, long deadline) {
        long left = Math.max(0, deadline - System.nanoTime());
        try {
            return command.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            command.cancel(false);
            throw new RedisCommandTimeoutException("Command timed out after "
                    + Duration.ofNanos(connection.getTimeout().toNanos()) + " in a batch of claims");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisCommandInterruptedException(e);
        } catch (ExecutionException | CompletionException e) {
            throw asRuntime(e.getCause() != null ? e.getCause() : e);
        } catch (CancellationException e) {
            throw new RedisException("A command of the batch was cancelled", e);
        }
    }

    private static RuntimeException asRuntime(Throwable failure) {
        return failure instanceof RuntimeException runtime
                ? runtime
                : new RedisException(failure.getMessage(), failure);
    }
}

package io.github.listenerdedup.it.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client and one connection of a test's own, for commands the store never sends; closing shuts both. Only for
 * a Redis process of the test's own: the pauses and sleeps it sends stall the whole server.
 */
public final class AdminConnection implements AutoCloseable {

    /** Which clients {@code CLIENT PAUSE} holds back. */
    public enum PauseMode {
        /** Every command of every client. */
        ALL,
        /** Commands that may write, scripts among them; reads such as {@code CLIENT LIST} still run. */
        WRITE
    }

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private AdminConnection(RedisClient client) {
        this.client = client;
        this.connection = client.connect(StringCodec.UTF8);
    }

    /**
     * Connects.
     *
     * @param uri where Redis runs
     * @return the open connection
     */
    public static AdminConnection to(String uri) {
        RedisClient client = RedisClient.create(uri);
        try {
            return new AdminConnection(client);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /** @return the synchronous commands */
    public RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /** @return the connection, for a store that should share it with the commands sent here */
    StatefulRedisConnection<String, String> connection() {
        return connection;
    }

    /**
     * Reads the server's command statistics.
     *
     * @param command the command's name in lower case, for example {@code evalsha}
     * @return how often the server ran it since its statistics were last reset
     */
    public long calls(String command) {
        Matcher matcher = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
                .matcher(commands().info("commandstats"));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    /**
     * Adds rules to an ACL user, in the syntax of {@code ACL SETUSER}, for example {@code +config|get}.
     *
     * @param user  the user
     * @param rules the rules
     */
    void aclSetUser(String user, String... rules) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(user);
        for (String rule : rules) {
            args.add(rule);
        }
        commands().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args);
    }

    /**
     * Holds back the server's clients for a while; returns at once, with the pause in force.
     *
     * @param duration how long
     * @param mode     which commands wait
     */
    public void pause(Duration duration, PauseMode mode) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("PAUSE")
                .add(duration.toMillis()).add(mode.name());
        commands().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), args);
    }

    /**
     * Makes the server sleep, blocking every client, once the commands sent before on this connection have run.
     * Does not wait for the reply, which comes late; needs {@code --enable-debug-command local}.
     *
     * @param duration how long the server sleeps
     */
    void sleepServerAsync(Duration duration) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SLEEP")
                .add(duration.toMillis() / 1000.0);
        connection.async().dispatch(CommandType.DEBUG, new StatusOutput<>(StringCodec.UTF8), args);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}

package io.github.listenerdedup.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one run of the demo does, read from the command line by {@link OptionsParser}.
 *
 * @param broker        the broker to use
 * @param brokerUrl     the broker's URL, or {@code null} for the embedded broker
 * @param store         where claims live
 * @param redisUri      the Redis URI, used with {@link StoreKind#REDIS}
 * @param events        how many events to generate; ignored when {@code input} is given
 * @param consumers     how many concurrent consumers
 * @param seed          the seed of the generated stream
 * @param input         the JSON-lines file to read events from, or {@code null} to generate them
 * @param timeout       how long to wait for every delivery to settle
 * @param helpRequested whether {@code --help} was given: print the options and do nothing else
 */
public record DemoOptions(BrokerKind broker, String brokerUrl, StoreKind store, String redisUri, int events,
        int consumers, long seed, Path input, Duration timeout, boolean helpRequested) {

    /** Events generated when {@code --events} is not given. */
    public static final int DEFAULT_EVENTS = 200;
    /** Concurrent consumers when {@code --consumers} is not given. */
    public static final int DEFAULT_CONSUMERS = 4;
    /** Redis URI when {@code --redis-uri} is not given. */
    public static final String DEFAULT_REDIS_URI = "redis://127.0.0.1:6379";
    /** Seconds to wait for the deliveries to settle when {@code --timeout} is not given. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 120;
    /** The most events {@code --events} accepts, and the most lines an input file may have. */
    public static final int MAX_EVENTS = 100_000;
    /** The most consumers {@code --consumers} accepts. */
    public static final int MAX_CONSUMERS = 64;
    /** The longest {@code --timeout}, in seconds. */
    public static final int MAX_TIMEOUT_SECONDS = 3600;
}

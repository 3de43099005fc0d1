package io.github.listenerdedup.demo;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Reads the demo's command line into {@link DemoOptions}. Options are written {@code --name value} or
 * {@code --name=value}; each may be given once. A bad option fails with a {@link UsageException} whose message
 * names the option, the rule and the value given.
 */
public final class OptionsParser {

    private static final String BROKER = "--broker";
    private static final String BROKER_URL = "--broker-url";
    private static final String STORE = "--store";
    private static final String REDIS_URI = "--redis-uri";
    private static final String EVENTS = "--events";
    private static final String CONSUMERS = "--consumers";
    private static final String SEED = "--seed";
    private static final String INPUT = "--input";
    private static final String TIMEOUT = "--timeout";
    private static final Set<String> WITH_VALUE =
            Set.of(BROKER, BROKER_URL, STORE, REDIS_URI, EVENTS, CONSUMERS, SEED, INPUT, TIMEOUT);
    private static final Set<String> HELP = Set.of("--help", "-h");

    private final LongSupplier randomSeed;

    /** Creates a parser that picks a random seed when none is given. */
    public OptionsParser() {
        this(() -> ThreadLocalRandom.current().nextLong(1, 1_000_000));
    }

    OptionsParser(LongSupplier randomSeed) {
        this.randomSeed = randomSeed;
    }

    /**
     * Reads the command line.
     *
     * @param args the arguments, as given to {@code main}
     * @return the options; {@link DemoOptions#helpRequested()} when {@code --help} was among them
     * @throws UsageException when an option is unknown, repeated, missing its value or has a bad value
     */
    public DemoOptions parse(List<String> args) throws UsageException {
        if (args.stream().anyMatch(HELP::contains)) {
            return new DemoOptions(BrokerKind.EMBEDDED_ACTIVEMQ, null, StoreKind.MEMORY, null, 0, 0, 0, null,
                    Duration.ZERO, true);
        }
        Map<String, String> given = readPairs(args);
        BrokerKind broker = broker(given.get(BROKER));
        StoreKind store = store(given.get(STORE));
        Path input = input(given.get(INPUT));
        if (input != null) {
            refuseWithInput(given, EVENTS, "the file says which events to send");
            refuseWithInput(given, SEED, "the seed only shapes generated events");
        }
        return new DemoOptions(broker, brokerUrl(broker, given.get(BROKER_URL)), store,
                redisUri(store, given.get(REDIS_URI)),
                intOption(EVENTS, given.get(EVENTS), DemoOptions.DEFAULT_EVENTS, DemoOptions.MAX_EVENTS),
                intOption(CONSUMERS, given.get(CONSUMERS), DemoOptions.DEFAULT_CONSUMERS, DemoOptions.MAX_CONSUMERS),
                seed(given.get(SEED)), input,
                Duration.ofSeconds(intOption(TIMEOUT, given.get(TIMEOUT), DemoOptions.DEFAULT_TIMEOUT_SECONDS,
                        DemoOptions.MAX_TIMEOUT_SECONDS)),
                false);
    }

    /** @return the text {@code --help} prints: every option with its default */
    public static String helpText() {
        return String.join(System.lineSeparator(),
                "Usage: java -jar demo/target/listener-dedup-demo.jar [options]",
                "",
                "Publishes a stream of events with duplicates and failing first tries, consumes it through",
                "listener-dedup with several concurrent consumers, and checks from the handler's own records",
                "that every event was handled exactly once and none was lost.",
                "",
                "Options:",
                "  --broker " + BrokerKind.choices(),
                "                      the broker (default: embedded-activemq, started inside the demo)",
                "  --broker-url URL    a running broker (default: " + BrokerKind.ACTIVEMQ.defaultUrl()
                        + " for activemq,",
                "                      " + BrokerKind.RABBITMQ.defaultUrl() + " for rabbitmq)",
                "  --store " + StoreKind.choices(),
                "                      where claims live (default: memory)",
                "  --redis-uri URI     the Redis server for --store redis (default: " + DemoOptions.DEFAULT_REDIS_URI
                        + ")",
                "  --events N          events to generate, 1 to " + DemoOptions.MAX_EVENTS + " (default: "
                        + DemoOptions.DEFAULT_EVENTS + ")",
                "  --consumers N       concurrent consumers, 1 to " + DemoOptions.MAX_CONSUMERS + " (default: "
                        + DemoOptions.DEFAULT_CONSUMERS + ")",
                "  --seed N            seed of the generated events (default: random, printed at the start)",
                "  --input FILE        send the events of a JSON-lines file instead of generated ones, one object",
                "                      a line: {\"eventId\": \"order-1\", \"payload\": \"...\", \"failFirst\": true}",
                "                      a repeated id is a duplicate delivery; failFirst (optional) makes the",
                "                      handler fail on the event's first try (example: demo/events-sample.jsonl)",
                "  --timeout SECONDS   how long to wait for every delivery to settle, 1 to "
                        + DemoOptions.MAX_TIMEOUT_SECONDS + " (default: " + DemoOptions.DEFAULT_TIMEOUT_SECONDS + ")",
                "  --help              print this help and exit",
                "",
                "Exit code: 0 when every event was handled exactly once; 1 when the check failed or a service",
                "could not be used; 2 for a bad option or input line.");
    }

    private static Map<String, String> readPairs(List<String> args) throws UsageException {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "': options start with --");
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (!WITH_VALUE.contains(name)) {
                throw new UsageException("unknown option '" + name + "'");
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else {
                value = i + 1 < args.size() && !args.get(i + 1).startsWith("--") ? args.get(++i) : "";
            }
            if (value.isBlank()) {
                throw new UsageException(name + " needs a value");
            }
            if (given.putIfAbsent(name, value) != null) {
                throw new UsageException(name + " is given twice");
            }
        }
        return given;
    }

    private static BrokerKind broker(String value) throws UsageException {
        if (value == null) {
            return BrokerKind.EMBEDDED_ACTIVEMQ;
        }
        return BrokerKind.fromOptionValue(value).orElseThrow(() -> new UsageException(
                BROKER + " must be one of " + BrokerKind.choices() + ", but was '" + value + "'"));
    }

    private static String brokerUrl(BrokerKind broker, String value) throws UsageException {
        if (value == null) {
            return broker.defaultUrl();
        }
        if (broker == BrokerKind.EMBEDDED_ACTIVEMQ) {
            throw new UsageException(BROKER_URL + " is not used with " + BROKER + " "
                    + BrokerKind.EMBEDDED_ACTIVEMQ.optionValue() + ": add " + BROKER + " "
                    + BrokerKind.ACTIVEMQ.optionValue() + " or " + BROKER + " " + BrokerKind.RABBITMQ.optionValue());
        }
        if (broker == BrokerKind.RABBITMQ && !value.startsWith("amqp://") && !value.startsWith("amqps://")) {
            throw new UsageException(BROKER_URL + " must start with amqp:// or amqps:// for " + BROKER + " "
                    + broker.optionValue() + ", but was '" + value + "'");
        }
        if (broker == BrokerKind.RABBITMQ) {
            requireUri(BROKER_URL, value);
        }
        if (broker == BrokerKind.ACTIVEMQ && !value.matches("[a-z+]+:\\S+")) {
            throw new UsageException(BROKER_URL + " must be an ActiveMQ URL such as " + broker.defaultUrl()
                    + ", but was '" + value + "'");
        }
        return value;
    }

    private static StoreKind store(String value) throws UsageException {
        if (value == null) {
            return StoreKind.MEMORY;
        }
        return StoreKind.fromOptionValue(value).orElseThrow(() -> new UsageException(
                STORE + " must be one of " + StoreKind.choices() + ", but was '" + value + "'"));
    }

    private static String redisUri(StoreKind store, String value) throws UsageException {
        if (value == null) {
            return store == StoreKind.REDIS ? DemoOptions.DEFAULT_REDIS_URI : null;
        }
        if (store != StoreKind.REDIS) {
            throw new UsageException(REDIS_URI + " is not used with " + STORE + " " + store.optionValue()
                    + ": add " + STORE + " " + StoreKind.REDIS.optionValue());
        }
        if (!value.startsWith("redis://") && !value.startsWith("rediss://")) {
            throw new UsageException(REDIS_URI + " must start with redis:// or rediss://, but was '" + value + "'");
        }
        requireUri(REDIS_URI, value);
        return value;
    }

    private static void requireUri(String option, String value) throws UsageException {
        try {
            URI uri = new URI(value);
            if (uri.getHost() == null) {
                throw new UsageException(option + " must name a host, but was '" + value + "'");
            }
        } catch (URISyntaxException e) {
            throw new UsageException(option + " is not a valid URI (" + e.getMessage() + ")");
        }
    }

    private static int intOption(String name, String value, int fallback, int max) throws UsageException {
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= 1 && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with the rule
        }
        throw new UsageException(name + " must be a whole number from 1 to " + max + ", but was '" + value + "'");
    }

    private long seed(String value) throws UsageException {
        if (value == null) {
            return randomSeed.getAsLong();
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException(SEED + " must be a whole number, but was '" + value + "'");
        }
    }

    private static Path input(String value) throws UsageException {
        if (value == null) {
            return null;
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(INPUT + " must name a file, but was '" + value + "'");
        }
        if (!Files.isRegularFile(path)) {
            throw new UsageException(INPUT + " file '" + value + "' does not exist or is not a file");
        }
        if (!Files.isReadable(path)) {
            throw new UsageException(INPUT + " file '" + value + "' cannot be read");
        }
        return path;
    }

    private static void refuseWithInput(Map<String, String> given, String option, String reason)
            throws UsageException {
        if (given.containsKey(option)) {
            throw new UsageException(option + " cannot be combined with " + INPUT + ": " + reason);
        }
    }
}

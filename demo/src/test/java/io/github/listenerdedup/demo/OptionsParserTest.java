package io.github.listenerdedup.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsParserTest {

    private final OptionsParser parser = new OptionsParser(() -> 4242L);

    @TempDir
    Path dir;

    @Test
    void shouldUseDefaultsWhenNoOptionIsGiven() throws UsageException {
        DemoOptions options = parser.parse(List.of());

        assertThat(options).isEqualTo(new DemoOptions(BrokerKind.EMBEDDED_ACTIVEMQ, null, StoreKind.MEMORY, null,
                200, 4, 4242L, null, Duration.ofSeconds(120), false));
    }

    @Test
    void shouldReadEveryOptionWhenGivenWithSpacesOrEquals() throws UsageException {
        DemoOptions options = parser.parse(List.of("--broker", "rabbitmq", "--broker-url=amqp://u:p@localhost:5673",
                "--store=redis", "--redis-uri", "redis://127.0.0.1:6380", "--events", "50", "--consumers=8",
                "--seed", "-7", "--timeout", "30"));

        assertThat(options).isEqualTo(new DemoOptions(BrokerKind.RABBITMQ, "amqp://u:p@localhost:5673",
                StoreKind.REDIS, "redis://127.0.0.1:6380", 50, 8, -7L, null, Duration.ofSeconds(30), false));
    }

    @Test
    void shouldUseTheBrokersDefaultUrlWhenNoneIsGiven() throws UsageException {
        assertThat(parser.parse(List.of("--broker", "activemq")).brokerUrl()).isEqualTo("tcp://127.0.0.1:61616");
        assertThat(parser.parse(List.of("--broker", "rabbitmq")).brokerUrl())
                .isEqualTo("amqp://guest:guest@127.0.0.1:5672");
    }

    @Test
    void shouldUseTheDefaultRedisUriWhenRedisIsChosenWithoutOne() throws UsageException {
        assertThat(parser.parse(List.of("--store", "redis")).redisUri()).isEqualTo("redis://127.0.0.1:6379");
    }

    @Test
    void shouldAskForHelpWhenHelpIsAmongBadOptions() throws UsageException {
        assertThat(parser.parse(List.of("--nonsense", "--help")).helpRequested()).isTrue();
        assertThat(parser.parse(List.of("-h")).helpRequested()).isTrue();
    }

    @Test
    void shouldNameEveryOptionAndDefaultWhenPrintingHelp() {
        assertThat(OptionsParser.helpText()).contains("--broker embedded-activemq|activemq|rabbitmq",
                "--broker-url", "--store memory|redis", "--redis-uri", "(default: redis://127.0.0.1:6379)",
                "--events N", "(default: 200)", "--consumers N", "(default: 4)", "--seed N", "--input FILE",
                "--timeout SECONDS", "(default: 120)", "--help");
    }

    @Test
    void shouldReadTheInputFileWhenItExists() throws Exception {
        Path file = Files.writeString(dir.resolve("events.jsonl"), "{}");

        assertThat(parser.parse(List.of("--input", file.toString())).input()).isEqualTo(file);
    }

    @Test
    void shouldRefuseAnUnknownOption() {
        assertUsage(List.of("--event", "5"), "unknown option '--event'");
    }

    @Test
    void shouldRefuseAnArgumentThatIsNoOption() {
        assertUsage(List.of("events"), "unexpected argument 'events': options start with --");
    }

    @Test
    void shouldRefuseAnOptionWithoutItsValue() {
        assertUsage(List.of("--events"), "--events needs a value");
        assertUsage(List.of("--events", "--consumers", "2"), "--events needs a value");
        assertUsage(List.of("--store="), "--store needs a value");
    }

    @Test
    void shouldRefuseAnOptionGivenTwice() {
        assertUsage(List.of("--events", "5", "--events=6"), "--events is given twice");
    }

    @Test
    void shouldRefuseAnUnknownBrokerOrStore() {
        assertUsage(List.of("--broker", "kafka"),
                "--broker must be one of embedded-activemq|activemq|rabbitmq, but was 'kafka'");
        assertUsage(List.of("--store", "mysql"), "--store must be one of memory|redis, but was 'mysql'");
    }

    @Test
    void shouldRefuseNumbersOutOfRange() {
        assertUsage(List.of("--events", "0"), "--events must be a whole number from 1 to 100000, but was '0'");
        assertUsage(List.of("--events", "lots"), "--events must be a whole number from 1 to 100000, but was 'lots'");
        assertUsage(List.of("--consumers", "65"), "--consumers must be a whole number from 1 to 64, but was '65'");
        assertUsage(List.of("--timeout", "1.5"), "--timeout must be a whole number from 1 to 3600, but was '1.5'");
        assertUsage(List.of("--seed", "x1"), "--seed must be a whole number, but was 'x1'");
    }

    @Test
    void shouldRefuseABrokerUrlWhenTheBrokerIsEmbedded() {
        assertUsage(List.of("--broker-url", "tcp://127.0.0.1:61616"), "--broker-url is not used with --broker "
                + "embedded-activemq: add --broker activemq or --broker rabbitmq");
    }

    @Test
    void shouldRefuseABrokerUrlOfTheWrongKind() {
        assertUsage(List.of("--broker", "rabbitmq", "--broker-url", "tcp://127.0.0.1:5672"),
                "--broker-url must start with amqp:// or amqps:// for --broker rabbitmq, but was "
                        + "'tcp://127.0.0.1:5672'");
        assertUsage(List.of("--broker", "rabbitmq", "--broker-url", "amqp://"),
                "--broker-url is not a valid URI (Expected authority at index 7: amqp://)");
        assertUsage(List.of("--broker", "rabbitmq", "--broker-url", "amqp:///vhost"),
                "--broker-url must name a host, but was 'amqp:///vhost'");
        assertUsage(List.of("--broker", "activemq", "--broker-url", "localhost"),
                "--broker-url must be an ActiveMQ URL such as tcp://127.0.0.1:61616, but was 'localhost'");
    }

    @Test
    void shouldRefuseARedisUriWhenTheStoreIsInMemory() {
        assertUsage(List.of("--redis-uri", "redis://127.0.0.1:6379"),
                "--redis-uri is not used with --store memory: add --store redis");
    }

    @Test
    void shouldRefuseARedisUriOfAnotherScheme() {
        assertUsage(List.of("--store", "redis", "--redis-uri", "127.0.0.1:6379"),
                "--redis-uri must start with redis:// or rediss://, but was '127.0.0.1:6379'");
    }

    @Test
    void shouldRefuseAMissingInputFile() {
        Path missing = dir.resolve("missing.jsonl");

        assertUsage(List.of("--input", missing.toString()),
                "--input file '" + missing + "' does not exist or is not a file");
    }

    @Test
    void shouldRefuseEventsOrSeedWhenAnInputFileIsGiven() throws IOException {
        Path file = Files.writeString(dir.resolve("events.jsonl"), "{}");

        assertUsage(List.of("--input", file.toString(), "--events", "5"),
                "--events cannot be combined with --input: the file says which events to send");
        assertUsage(List.of("--seed", "5", "--input", file.toString()),
                "--seed cannot be combined with --input: the seed only shapes generated events");
    }

    private void assertUsage(List<String> args, String message) {
        assertThatThrownBy(() -> parser.parse(args)).isInstanceOf(UsageException.class).hasMessage(message);
    }
}
